# SPDX-License-Identifier: GPL-2.0
# The plots of make bench, from the data tools/bench/run.sh leaves in DIR:
#   gnuplot -e "dir='DIR'; term='svg'" tools/bench/plot.gp    (or 'png')
# writes DIR/cost.TERM (time per entry against the table's size, MGM and
# today's way, log axes), DIR/memory.TERM (bytes per entry) and
# DIR/delay.TERM (the first packet's delay of each flow of the largest
# burst, one source and N groups, for each owner: a distribution).
# tools/uml/bench.sh runs it for both terminals after a run.

if (term eq 'svg') {
	set terminal svg size 860,520 dynamic enhanced font 'sans,12'
} else {
	set terminal pngcairo size 860,520 enhanced font 'sans,11'
}
set grid
set key below
set datafile missing 'NaN'

set output dir.'/cost.'.term
set title 'Cost per entry against the size of the table (same boot)'
set xlabel 'entries in the table'
set ylabel 'time per entry (us)'
set logscale xy
plot dir.'/cost.dat' using 1:($2/1000) with linespoints lw 2 title 'mroute daemon: MRT\_ADD\_MFC', \
     ''              using 1:($3/1000) with linespoints lw 2 title 'MGM: membership over netlink, one ack each', \
     ''              using 1:($4/1000) with linespoints lw 2 title 'MGM: memberships batched', \
     ''              using 1:($5/1000) with linespoints lw 2 dt 2 title 'ip mroute show', \
     ''              using 1:($6/1000) with linespoints lw 2 dt 2 title 'mgmctl mfe show'

set output dir.'/memory.'.term
set title 'Memory per entry (slab and vmalloc growth, same boot)'
set ylabel 'bytes per entry'
unset logscale y
set yrange [0:*]
plot dir.'/memory.dat' using 1:2 with linespoints lw 2 title 'ipmr (mfc\_cache)', \
     ''                using 1:3 with linespoints lw 2 title 'MGM (its own MFE; ipmr''s entry comes on top)'

set output dir.'/delay.'.term
set title "First packet's delay of each new flow, the largest burst of the run (one source, N groups)"
unset logscale
set logscale x
set autoscale
set xlabel "delay until a flow's first datagram reached the receiver (ms)"
set ylabel 'share of the flows'
set yrange [0:1]
set key below
f(o) = dir.'/delay-groups-'.o.'.dat'
plot f('anchor')   using 1:(1) smooth cnormal with lines lw 2 title 'mroute daemon', \
     f('asked')    using 1:(1) smooth cnormal with lines lw 2 title 'MGM, userspace owner, asked', \
     f('standing') using 1:(1) smooth cnormal with lines lw 2 title 'MGM, standing answers', \
     f('kernel')   using 1:(1) smooth cnormal with lines lw 2 title 'MGM, in-kernel owner'
