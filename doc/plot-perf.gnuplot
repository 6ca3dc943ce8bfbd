# Plot idxp-dma-perf results: Mops/s and GB/s against buffer size, one line
# per case (dma_idxp, dma_skeleton, CPU memcpy in config/dma-perf.ini), from
# the CSV's summary rows. Needs only gnuplot-nox (pngcairo terminal).
#
#   gnuplot -c doc/plot-perf.gnuplot dma-perf-results.csv dma-perf.png
#   gnuplot -e "csv='dma-perf-results.csv'; out='dma-perf.png'" doc/plot-perf.gnuplot
#
# Columns are found by their header names, so reordering them is harmless.

if (ARGC >= 1) { csv = ARG1 }
if (ARGC >= 2) { out = ARG2 }
if (!exists("csv")) { csv = "dma-perf-results.csv" }
if (!exists("out")) { out = "dma-perf.png" }

# gnuplot has no "group by": awk finds the columns, lists the cases and
# feeds each case its rows.
colnum(name) = system(sprintf("awk -F, 'NR == 1 { for (i = 1; i <= NF; i++) if ($i == \"%s\") print i; exit }' '%s' 2>/dev/null", name, csv))
case_col = colnum("case")
row_col = colnum("row")
dev_col = colnum("device")
if (case_col eq "" || row_col eq "" || dev_col eq "") {
	print sprintf("plot-perf: %s is not an idxp-dma-perf CSV", csv)
	exit status 1
}
# Per case, in file order: the value of column @c on its first summary row.
per_case(c) = sprintf("awk -F, 'NR > 1 && $%s == \"summary\" && !seen[$%s]++ { printf \"%%s \", $%s }' '%s'", row_col, case_col, c, csv)
cases = system(per_case(case_col))
devs = system(per_case(dev_col))
if (words(cases) == 0) {
	print sprintf("plot-perf: no summary rows in %s", csv)
	exit status 1
}
series(i) = sprintf("< awk -F, 'NR == 1 || ($%s == \"%s\" && $%s == \"summary\")' '%s'", case_col, word(cases, i), row_col, csv)
label(i) = sprintf("%s (%s)", word(devs, i), word(cases, i))

# gnuplot-nox has pngcairo; plain png (libgd) is the fallback.
if (strstrt(GPVAL_TERMINALS, "pngcairo") > 0) {
	set terminal pngcairo size 1000,900 enhanced font ",10"
} else {
	set terminal png size 1000,900
}
set output out
set datafile separator comma
set datafile columnheaders
set logscale x 2
set logscale y 10
set xtics ("64" 64, "128" 128, "256" 256, "512" 512, "1K" 1024, "2K" 2048, \
	"4K" 4096, "8K" 8192, "16K" 16384, "32K" 32768, "64K" 65536, \
	"128K" 131072, "256K" 262144, "512K" 524288, "1M" 1048576, "2M" 2097152)
set grid xtics ytics mytics
# A little room so the end tics (e.g. 64K) are drawn.
set offsets graph 0.03, graph 0.03, 0, 0
set key outside right top
set xlabel "buffer size (bytes)"

set multiplot layout 2,1 title sprintf("idxp-dma-perf: %s", csv) noenhanced
set ylabel "Mops/s"
plot for [i = 1:words(cases)] series(i) using "buf_size_B":"mops" \
	with linespoints lw 2 title label(i) noenhanced
set ylabel "GB/s"
plot for [i = 1:words(cases)] series(i) using "buf_size_B":(column("gbps") / 8) \
	with linespoints lw 2 title label(i) noenhanced
unset multiplot
print sprintf("plot-perf: wrote %s", out)
