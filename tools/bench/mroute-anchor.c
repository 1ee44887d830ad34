// SPDX-License-Identifier: GPL-2.0
/*
 * mroute-anchor: today's way, as a yardstick for MGM (make bench, and the
 * burst test of make check).  One daemon owns ipmr's default table through
 * the mroute socket, as smcroute or igmpproxy do: MRT_INIT, a VIF per
 * interface named, and each new-source report (IGMPMSG_NOCACHE) answered
 * at once with MRT_ADD_MFC: in on the interface the packet came on, out on
 * every other one.  Nothing else: no routing, no membership; the least
 * work a daemon can do for a flow, so that MGM is compared with the best
 * case of today's way.
 *
 * Usage: mroute-anchor [-n N] IFNAME...   (at most MAXVIFS)
 * Prints "ready" once it owns the table, then runs until stdin ends; then
 * prints "resolved N" (the flows it installed) and leaves the table
 * (closing the socket flushes ipmr's entries).
 *
 * With -n N it first adds N entries of its own, as a daemon with static
 * routes does (smcroute's mroute lines): one MRT_ADD_MFC each, 16 sources
 * per group as in make bench's MGM tables, in on the first interface and
 * out on the second, and prints "added N ns T" (T: the nanoseconds the N
 * calls took) before "ready": the control plane's write rate, and a table
 * to measure ipmr's memory and its dump (ip mroute show) against.
 * Runs inside UML or a qemu guest as root; never on a real machine.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <net/if.h>
#include <netinet/in.h>
#include <poll.h>
#include <stdio.h>
#include <string.h>
#include <stdlib.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>
#include <linux/mroute.h>

static int add_vif(int fd, vifi_t vifi, const char *name)
{
	struct vifctl vc = {
		.vifc_vifi = vifi,
		.vifc_flags = VIFF_USE_IFINDEX,
		.vifc_threshold = 1,
	};

	vc.vifc_lcl_ifindex = (int)if_nametoindex(name);
	if (!vc.vifc_lcl_ifindex) {
		fprintf(stderr, "mroute-anchor: %s: no such interface\n", name);
		return -1;
	}
	if (setsockopt(fd, IPPROTO_IP, MRT_ADD_VIF, &vc, sizeof(vc))) {
		fprintf(stderr, "mroute-anchor: MRT_ADD_VIF %s: %s\n", name,
			strerror(errno));
		return -1;
	}
	return 0;
}

/* A new source: in on its VIF, out on every other of the @n_vifs. */
static int add_mfc(int fd, const struct igmpmsg *msg, int n_vifs)
{
	struct mfcctl mc = {
		.mfcc_origin = msg->im_src,
		.mfcc_mcastgrp = msg->im_dst,
		.mfcc_parent = msg->im_vif,
	};
	int v;

	for (v = 0; v < n_vifs; v++)
		mc.mfcc_ttls[v] = v == msg->im_vif ? 255 : 1;
	return setsockopt(fd, IPPROTO_IP, MRT_ADD_MFC, &mc, sizeof(mc));
}

static unsigned long long now_ns(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (unsigned long long)ts.tv_sec * 1000000000ULL +
	       (unsigned long long)ts.tv_nsec;
}

/*
 * @n static entries, (10.8.x.y, 232.8.a.b): entry i has source i % 16 + 1
 * (of 10.8.0.0/16) and group i / 16 (of 232.8.0.0/14), in on VIF 0 and out
 * on VIF 1.
 */
static int fill(int fd, unsigned long n)
{
	struct mfcctl mc = { .mfcc_parent = 0 };
	unsigned long long t0;
	unsigned long i;

	mc.mfcc_ttls[0] = 255;
	mc.mfcc_ttls[1] = 1;
	t0 = now_ns();
	for (i = 0; i < n; i++) {
		mc.mfcc_origin.s_addr = htonl(0x0a080000 | (i % 16 + 1));
		mc.mfcc_mcastgrp.s_addr = htonl(0xe8080000 | (i / 16));
		if (setsockopt(fd, IPPROTO_IP, MRT_ADD_MFC, &mc, sizeof(mc))) {
			fprintf(stderr, "mroute-anchor: MRT_ADD_MFC #%lu: %s\n",
				i, strerror(errno));
			return -1;
		}
	}
	printf("added %lu ns %llu\n", n, now_ns() - t0);
	return 0;
}

int main(int argc, char **argv)
{
	struct pollfd pfd[2] = {
		{ .events = POLLIN },
		{ .fd = STDIN_FILENO, .events = POLLIN },
	};
	unsigned long resolved = 0;
	char buf[2048], in[64];
	struct igmpmsg msg;
	int fd, one = 1, rcvbuf = 8 << 20, i, first = 1;
	unsigned long n_fill = 0;
	char *end;
	ssize_t n;

	if (argc > 2 && !strcmp(argv[1], "-n")) {
		n_fill = strtoul(argv[2], &end, 10);
		/* 16 sources a group: 2^18 groups fit 232.8.0.0/14 */
		if (*end || !n_fill || n_fill > 16UL << 18) {
			fprintf(stderr, "mroute-anchor: -n %s: 1 to %lu\n",
				argv[2], 16UL << 18);
			return 2;
		}
		first = 3;
	}
	if (argc - first < (n_fill ? 2 : 1) || argc - first > MAXVIFS) {
		fprintf(stderr, "usage: mroute-anchor [-n N] IFNAME... (at most %d; two with -n)\n",
			MAXVIFS);
		return 2;
	}
	fd = socket(AF_INET, SOCK_RAW, IPPROTO_IGMP);
	if (fd < 0 || setsockopt(fd, IPPROTO_IP, MRT_INIT, &one, sizeof(one))) {
		perror("mroute-anchor: MRT_INIT");
		return 1;
	}
	/* as much room for reports as MGM's own socket has */
	setsockopt(fd, SOL_SOCKET, SO_RCVBUFFORCE, &rcvbuf, sizeof(rcvbuf));
	for (i = first; i < argc; i++)
		if (add_vif(fd, (vifi_t)(i - first), argv[i]))
			return 1;
	if (n_fill && fill(fd, n_fill))
		return 1;
	printf("ready\n");
	fflush(stdout);

	pfd[0].fd = fd;
	for (;;) {
		if (poll(pfd, 2, -1) < 0) {
			if (errno == EINTR)
				continue;
			perror("mroute-anchor: poll");
			return 1;
		}
		if (pfd[1].revents) {
			n = read(STDIN_FILENO, in, sizeof(in));
			if (n <= 0)
				break;
		}
		if (!(pfd[0].revents & POLLIN))
			continue;
		/* every report queued, then back to poll */
		while ((n = recv(fd, buf, sizeof(buf), MSG_DONTWAIT)) > 0) {
			if ((size_t)n < sizeof(msg))
				continue;
			memcpy(&msg, buf, sizeof(msg));
			/* ipmr's reports have protocol 0; IGMP packets never */
			if (msg.im_mbz || msg.im_msgtype != IGMPMSG_NOCACHE)
				continue;
			if (add_mfc(fd, &msg, argc - first))
				fprintf(stderr, "mroute-anchor: MRT_ADD_MFC: %s\n",
					strerror(errno));
			else
				resolved++;
		}
	}
	printf("resolved %lu\n", resolved);
	close(fd);
	return 0;
}
