# scale.sh's summary from its runs.tsv: per scenario and measure the median over rounds for each
# broker and the Fjord/Kafka ratio; then the memory each idle partition and each idle connection
# adds (RSS and live heap, KiB), from the medians.
BEGIN { FS = "\t" }

NR == 1 { for (i = 6; i <= NF; i++) name[i] = $i; last = NF; next }

{
  scenario = $3 "\t" $4 "\t" $5
  if (!(scenario in seen)) { seen[scenario] = 1; order[++scenarios] = scenario }
  for (i = 6; i <= last; i++) if ($i != "NA" && $i != "") values[$1, scenario, i] = values[$1, scenario, i] " " $i
}

function median(list,    n, a, i, j, t) {
  n = split(list, a, " ")
  if (n == 0) return "NA"
  for (i = 1; i <= n; i++) for (j = i + 1; j <= n; j++) if (a[j] + 0 < a[i] + 0) { t = a[i]; a[i] = a[j]; a[j] = t }
  return n % 2 ? a[(n + 1) / 2] : (a[n / 2] + a[n / 2 + 1]) / 2
}

function ratio(f, k) { return (f == "NA" || k == "NA" || k + 0 == 0) ? "NA" : sprintf("%.2f", f / k) }

# The increase from a baseline scenario to another, per unit of the thing that grew, in KiB.
function per_unit(broker, from, to, units, column,    a, b) {
  a = median(values[broker, from, column]); b = median(values[broker, to, column])
  return (a == "NA" || b == "NA" || units <= 0) ? "NA" : sprintf("%.1f", (b - a) * 1024 / units)
}

function growth_row(label, from, to, units,    s, r, fr, kr, fh, kh) {
  split(to, s, "\t")
  fr = per_unit("fjord", from, to, units, rss); kr = per_unit("kafka", from, to, units, rss)
  fh = per_unit("fjord", from, to, units, live); kh = per_unit("kafka", from, to, units, live)
  printf "| %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |\n", label, s[1], s[2], s[3],
    fr, kr, ratio(fr, kr), fh, kh, ratio(fh, kh)
}

END {
  for (i = 6; i <= last; i++) {
    if (name[i] == "rss_MiB") rss = i
    if (name[i] == "heap_live_MiB") live = i
  }
  print "## Medians per scenario"
  print ""
  print "| partitions | topics | connections | measure | Fjord | Kafka | Fjord/Kafka |"
  print "|---|---|---|---|---|---|---|"
  for (n = 1; n <= scenarios; n++) {
    split(order[n], s, "\t")
    for (i = 6; i <= last; i++) {
      f = median(values["fjord", order[n], i]); k = median(values["kafka", order[n], i])
      printf "| %s | %s | %s | %s | %s | %s | %s |\n", s[1], s[2], s[3], name[i], f, k, ratio(f, k)
    }
  }

  # The CPU and latency figures compare like with like only where both brokers kept the pace.
  slow = ""
  for (i = 6; i <= last; i++) if (name[i] == "produce_MBps") pace = i
  for (n = 1; n <= scenarios; n++) {
    split(order[n], s, "\t")
    for (b = 1; b <= 2; b++) {
      broker = b == 1 ? "fjord" : "kafka"
      m = median(values[broker, order[n], pace])
      if (m != "NA" && m < 0.9 * mbps) slow = slow sprintf("%s %s/%s/%s (%s MB/s); ", broker, s[1], s[2], s[3], m)
    }
  }
  if (slow != "") {
    print ""
    printf "Below 90%% of the paced %s MB/s (partitions/topics/connections): %s\n", mbps, slow
  }

  # Baselines: per idle partition, the fewest partitions with the fewest topics at the same
  # connections; per idle connection, the fewest connections at the same partitions and topics.
  for (n = 1; n <= scenarios; n++) {
    split(order[n], s, "\t")
    if (!(s[3] in minp) || s[1] + 0 < minp[s[3]] + 0) minp[s[3]] = s[1]
    if (!(s[3] in mint) || s[2] + 0 < mint[s[3]] + 0) mint[s[3]] = s[2]
    key = s[1] "\t" s[2]
    if (!(key in minc) || s[3] + 0 < minc[key] + 0) minc[key] = s[3]
  }
  print ""
  print "## Memory per idle partition and per idle connection (KiB, from the medians)"
  print ""
  print "| per | partitions | topics | connections | Fjord RSS | Kafka RSS | Fjord/Kafka | Fjord live heap | Kafka live heap | Fjord/Kafka |"
  print "|---|---|---|---|---|---|---|---|---|---|"
  for (n = 1; n <= scenarios; n++) {
    split(order[n], s, "\t")
    from = minp[s[3]] "\t" mint[s[3]] "\t" s[3]
    if (s[1] != minp[s[3]] && (from in seen)) growth_row("partition", from, order[n], s[1] - minp[s[3]])
  }
  for (n = 1; n <= scenarios; n++) {
    split(order[n], s, "\t")
    key = s[1] "\t" s[2]
    if (s[3] != minc[key]) growth_row("connection", key "\t" minc[key], order[n], s[3] - minc[key])
  }
}
