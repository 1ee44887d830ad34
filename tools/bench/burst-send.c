// SPDX-License-Identifier: GPL-2.0
/*
 * burst-send: the first datagram of N new flows, as fast as the host can
 * send them, for tools/bench/burst.sh.  Datagram i goes to group
 * PREFIX.(i / 256).(i % 256), port PORT, and says "i t" with t the
 * CLOCK_REALTIME nanoseconds when its batch was built (the receiver's
 * kernel timestamps use the same clock).  Up to 64 datagrams per
 * sendmmsg: a python loop sends a few thousand a second in UML, which is
 * slower than the router, so the figures measured the sender.
 *
 * Usage: burst-send PREFIX N PORT   (PREFIX: two octets, N <= 65536)
 * Runs inside UML or a qemu guest; never on a real machine's network.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <time.h>
#include <unistd.h>

#define BATCH	64

int main(int argc, char **argv)
{
	static char payload[BATCH][32];
	struct sockaddr_in to[BATCH];
	struct mmsghdr msgs[BATCH];
	struct iovec iov[BATCH];
	unsigned int a, b, n = 0, port = 0, i, k, done;
	char *end_n = NULL, *end_port = NULL;
	int fd, ttl = 8, sndbuf = 64 << 20;
	struct timespec now;
	long long t;
	int r;

	if (argc == 4) {
		n = strtoul(argv[2], &end_n, 10);
		port = strtoul(argv[3], &end_port, 10);
	}
	if (argc != 4 || sscanf(argv[1], "%u.%u", &a, &b) != 2 ||
	    a > 255 || b > 255 || !*argv[2] || *end_n || n > 65536 ||
	    !*argv[3] || *end_port || port > 65535) {
		fprintf(stderr, "usage: burst-send PREFIX N PORT\n");
		return 2;
	}
	fd = socket(AF_INET, SOCK_DGRAM, 0);
	if (fd < 0 ||
	    setsockopt(fd, IPPROTO_IP, IP_MULTICAST_TTL, &ttl, sizeof(ttl))) {
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

			to[j] = (struct sockaddr_in) {
				.sin_family = AF_INET,
				.sin_port = htons(port),
				.sin_addr.s_addr = htonl(a << 24 | b << 16 |
							 (g >> 8) << 8 |
							 (g & 255)),
			};
			iov[j].iov_base = payload[j];
			iov[j].iov_len = snprintf(payload[j], sizeof(payload[j]),
						  "%u %lld", g, t);
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
