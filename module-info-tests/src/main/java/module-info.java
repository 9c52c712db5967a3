/**
 * The root the module-graph tests run in: requiring every module of the image puts them all on
 * the tests' module path as named modules, resolved as the image resolves them. Library modules
 * that no image module requires yet (io.fjord.timer, until the broker does) are required here too,
 * so their descriptors are checked all the same.
 */
module io.fjord.moduletests {
    requires io.fjord.cli;
    requires io.fjord.compression;
    requires io.fjord.timer;
}
