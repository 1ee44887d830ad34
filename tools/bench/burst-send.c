// SPDX-License-Identifier: GPL-2.0
/*
 * burst-send: the first datagram of N new flows, as fast as the host can
 * send them, for tools/bench/burst.sh.  Datagram i goes to group
 * PREFIX.(i / 256).(i % 256), port PORT, and says "i t" with t the
 * CLOCK_REALTIME nanoseconds when its batch was built (the receiver's
 * kernel timestamps use the same clock).  With SOURCES, datagram i comes
 * from source SOURCES.(i / 256).(i % 256) to the one group PREFIX.0.1
 * instead: N flows of distinct sources, written with their IP header
 * (a raw socket, IP_HDRINCL).  Up to 64 datagrams per sendmmsg: a python
 * loop sends a few thousand a second in UML, which is slower than the
 * router, so the figures measured the sender.
 *
 * Usage: burst-send PREFIX N PORT [SOURCES]
 *        (PREFIX, SOURCES: two octets; N <= 65536)
 * Runs inside UML or a qemu guest; never on a real machine's network.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <assert.h>
#include <errno.h>
#include <stdbool.h>
#include <stdint.h>
#include <netinet/in.h>
#include <netinet/ip.h>
#include <netinet/udp.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64
#define TTL	8

struct raw_datagram {
	struct iphdr ip;
	struct udphdr udp;
	char payload[32];
};

/* no padding between the headers: the datagram is the struct's bytes */
static_assert(sizeof(struct raw_datagram) == 20 + 8 + 32,
	      "raw_datagram has padding");

/* "A.B" into @a and @b. */
static int parse_prefix(const char *s, unsigned int *a, unsigned int *b)
{
	char c;

	return sscanf(s, "%u.%u%c", a, b, &c) == 2 && *a <= 255 && *b <= 255;
}

/*
 * Datagram @g of a burst of distinct sources: its IP and UDP headers
 * (no UDP checksum, which IPv4 allows) and @len bytes of payload.  The
 * kernel fills in the IP checksum and, for id 0, an id.
 */
static size_t raw_fill(struct raw_datagram *d, unsigned int sa,
		       unsigned int sb, unsigned int g, uint32_t group,
		       unsigned int port, size_t len)
{
	size_t total = sizeof(d->ip) + sizeof(d->udp) + len;

	d->ip = (struct iphdr) {
		.version = 4,
		.ihl = 5,
		.tot_len = htons(total),
		.ttl = TTL,
		.protocol = IPPROTO_UDP,
		.saddr = htonl(sa << 24 | sb << 16 | (g >> 8) << 8 | (g & 255)),
		.daddr = group,
	};
	d->udp = (struct udphdr) {
		.source = htons(port),
		.dest = htons(port),
		.len = htons(sizeof(d->udp) + len),
	};
	return total;
}

int main(int argc, char **argv)
{
	static struct raw_datagram raw[BATCH];
	static char payload[BATCH][32];
	struct sockaddr_in to[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned int a, b, sa = 0, sb = 0, n = 0, port = 0, i, k, done;
	char *end_n = NULL, *end_port = NULL;
	int fd, ttl = TTL, sndbuf = 64 << 20;
	bool sources = argc == 5;
	struct timespec now;
	long long t;
	int r;

	if (argc == 4 || argc == 5) {
		n = strtoul(argv[2], &end_n, 10);
		port = strtoul(argv[3], &end_port, 10);
	}
	if ((argc != 4 && argc != 5) || !parse_prefix(argv[1], &a, &b) ||
	    !*argv[2] || *end_n || n > 65536 ||
	    !*argv[3] || *end_port || port > 65535 ||
	    (sources && !parse_prefix(argv[4], &sa, &sb))) {
		fprintf(stderr, "usage: burst-send PREFIX N PORT [SOURCES]\n");
		return 2;
	}
	/* IPPROTO_RAW: the datagram's own IP header (IP_HDRINCL) */
	fd = sources ? socket(AF_INET, SOCK_RAW, IPPROTO_RAW) :
		       socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    (!sources &&
	     setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl)))) {
		perror("burst-send: socket");
		return 1;
	}
	/* room for whole batches; without CAP_NET_ADMIN the default */
	setsockopt(fd, SOL_SOCKET, SO_SNDBUFFORCE, &sndbuf, sizeof(sndbuf));

	for (i = 0; i < n; i += k) {
		k = n - i < BATCH ? n - i : BATCH;
		clock_gettime(CLOCK_REALTIME, &now);
		t = now.tv_sec * 1000000000LL + now.tv_nsec;
		memset(msgs, 0, sizeof(msgs));
		for (unsigned int j = 0; j < k; j++) {
			unsigned int g = i + j;
			int len;

			to[j] = (struct sockaddr_in) {
				.sin_family = AF_INET,
				.sin_port = htons(port),
				.sin_addr.s_addr = htonl(a << 24 | b << 16 |
							 (sources ? 1 :
							  (g >> 8) << 8 |
							  (g & 255))),
			};
			len = snprintf(sources ? raw[j].payload : payload[j],
				       sizeof(payload[j]), "%u %lld", g, t);
			iov[j].iov_base = payload[j];
			iov[j].iov_len = len;
			if (sources) {
				iov[j].iov_base = &raw[j];
				iov[j].iov_len = raw_fill(&raw[j], sa, sb, g,
							  to[j].sin_addr.s_addr,
							  port, len);
			}
			msgs[j].msg_hdr.msg_name = &to[j];
			msgs[j].msg_hdr.msg_namelen = sizeof(to[j]);
			msgs[j].msg_hdr.msg_iov = &iov[j];
			msgs[j].msg_hdr.msg_iovlen = 1;
		}
		/* a full queue (ENOBUFS) or a partial send: the rest again */
		for (done = 0; done < k; ) {
			r = sendmmsg(fd, msgs + done, k - done, 0);
			if (r > 0) {
				done += r;
			} else if (r < 0 && errno != ENOBUFS &&
				   errno != EAGAIN && errno != EINTR) {
				perror("burst-send: sendmmsg");
				return 1;
			}
		}
	}
	close(fd);
	return 0;
}
