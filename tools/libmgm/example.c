// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmgm-example: the smallest whole daemon on libmgm, and what the tests
 * drive the library with (tools/tests/23-libmgm.sh).  It registers,
 * takes the interfaces named, adds the memberships of -j, and prints a
 * line for each callback; creation alerts are answered with the -d
 * interfaces disabled.  SIGUSR1 prints the MFEs, groups and memberships,
 * SIGUSR2 ends a resync (after a takeover, -H); SIGTERM releases what it
 * took and deregisters.
 *
 *   libmgm-example [-p PROTOCOL] [-c COMPONENT] [-H SECONDS] [-n] [-s MS]
 *                  [-d IFNAME]... [-j [SOURCE,]GROUP@IFNAME]... IFNAME...
 *
 * -n registers without the question callbacks: MGM takes their default
 * answers without asking (libmgm(3), "Standing answers").  -s answers
 * each rpf question MS milliseconds late.
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <net/if.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <unistd.h>

#include "libmgm.h"

#define MAX_IFS 16

static struct mgm_if taken[MAX_IFS], disabled[MAX_IFS];
static unsigned int n_taken, n_disabled;
/* -s: how late the rpf answers come (a test of answer_failed) */
static unsigned int rpf_delay_ms;

static const char *ifname(const struct mgm_if *ifp)
{
	static char ring[4][IF_NAMESIZE + 20];
	static unsigned int next;
	char *s = ring[next++ % 4], name[IF_NAMESIZE];

	if (!if_indextoname(ifp->ifindex, name))
		snprintf(name, sizeof(name), "#%u", ifp->ifindex);
	if (ifp->nexthop)
		snprintf(s, sizeof(ring[0]), "%s/%s", name,
			 inet_ntoa((struct in_addr){ ifp->nexthop }));
	else
		snprintf(s, sizeof(ring[0]), "%s", name);
	return s;
}

static const char *sg(const struct mgm_sg *key)
{
	static char ring[2][40];
	static unsigned int next;
	char *s = ring[next++ % 2], src[INET_ADDRSTRLEN], grp[INET_ADDRSTRLEN];

	inet_ntop(AF_INET, &key->source, src, sizeof(src));
	inet_ntop(AF_INET, &key->group, grp, sizeof(grp));
	snprintf(s, sizeof(ring[0]), "(%s,%s)", key->source ? src : "*",
		 key->group ? grp : "*");
	return s;
}

static bool same_if(const struct mgm_if *a, const struct mgm_if *b)
{
	return a->ifindex == b->ifindex && a->nexthop == b->nexthop;
}

static void on_rpf(struct mgm *m, uint32_t h,
		   const struct mgm_rpf_question *q, void *arg)
{
	(void)arg;
	printf("rpf %s iif %s packet %u\n", sg(&q->sg), ifname(&q->iif),
	       q->packet_len);
	if (rpf_delay_ms)
		usleep(rpf_delay_ms * 1000);
	mgm_answer_rpf(m, h, q->cookie, &q->iif, q->upstream);
}

static void on_creation(struct mgm *m, uint32_t h,
			const struct mgm_creation_question *q, void *arg)
{
	struct mgm_if off[MAX_IFS];
	unsigned int i, k, n = 0;

	(void)arg;
	printf("creation %s iif %s oifs", sg(&q->sg), ifname(&q->iif));
	for (i = 0; i < q->n_oifs; i++) {
		printf(" %s%s", ifname(&q->oifs[i].ifp),
		       q->oifs[i].igmp ? "+igmp" : "");
		for (k = 0; k < n_disabled && n < MAX_IFS; k++)
			if (same_if(&q->oifs[i].ifp, &disabled[k]))
				off[n++] = q->oifs[i].ifp;
	}
	printf(" disabled %u\n", n);
	mgm_answer_creation(m, h, q->cookie, n, off);
}

static void on_prune(struct mgm *m, uint32_t h,
		     const struct mgm_prune_alert *a, void *arg)
{
	(void)arg;
	printf("prune %s on %s %s\n", sg(&a->sg), ifname(&a->oif),
	       a->cookie ? "asks" : "membership");
	if (a->cookie)
		mgm_answer_prune(m, h, a->cookie, a->timeout);
}

static void on_join(struct mgm *m, uint32_t h, const struct mgm_sg *key,
		    bool member_update, void *arg)
{
	(void)m, (void)h, (void)arg;
	printf("join-alert %s%s\n", sg(key), member_update ? " member" : "");
}

static void on_wrong_if(struct mgm *m, uint32_t h, const struct mgm_sg *key,
			const struct mgm_if *ifp, const void *packet,
			unsigned int len, void *arg)
{
	(void)m, (void)h, (void)packet, (void)arg;
	printf("wrong-if %s on %s packet %u\n", sg(key), ifname(ifp), len);
}

static void on_local_join(struct mgm *m, uint32_t h,
			  const struct mgm_sg *key, const struct mgm_if *ifp,
			  void *arg)
{
	(void)m, (void)h, (void)arg;
	printf("local-join %s on %s\n", sg(key), ifname(ifp));
}

static void on_local_leave(struct mgm *m, uint32_t h,
			   const struct mgm_sg *key, const struct mgm_if *ifp,
			   void *arg)
{
	(void)m, (void)h, (void)arg;
	printf("local-leave %s on %s\n", sg(key), ifname(ifp));
}

static void on_answer_failed(struct mgm *m, uint32_t h, uint64_t cookie,
			     const struct mgm_error *err, void *arg)
{
	char buf[300];

	(void)m, (void)h, (void)arg;
	printf("answer failed: cookie %llu: %s\n", (unsigned long long)cookie,
	       mgm_strerror(err, buf, sizeof(buf)));
}

static const struct mgm_callbacks all = {
	.rpf = on_rpf,
	.creation_alert = on_creation,
	.prune_alert = on_prune,
	.join_alert = on_join,
	.wrong_if = on_wrong_if,
	.local_join = on_local_join,
	.local_leave = on_local_leave,
	.answer_failed = on_answer_failed,
};

/* -n: the questions left to MGM's defaults */
static const struct mgm_callbacks notifications_only = {
	.join_alert = on_join,
	.wrong_if = on_wrong_if,
	.local_join = on_local_join,
	.local_leave = on_local_leave,
	.answer_failed = on_answer_failed,
};

static int print_mfe(const struct mgm_mfe *e, void *arg)
{
	unsigned int i;

	(void)arg;
	printf("mfe %s iif %s oifs", sg(&e->sg), ifname(&e->iif));
	for (i = 0; i < e->n_oifs; i++)
		printf(" %s", ifname(&e->oifs[i].ifp));
	if (e->has_stats)
		printf(" pkts %llu", (unsigned long long)e->pkts);
	printf("\n");
	return 0;
}

static int print_group(const struct mgm_sg *key, void *arg)
{
	(void)arg;
	printf("group %s\n", sg(key));
	return 0;
}

static int print_membership(const struct mgm_sg *key,
			    const struct mgm_if *ifp, bool stale, void *arg)
{
	(void)arg;
	printf("membership %s on %s%s\n", sg(key), ifname(ifp),
	       stale ? " stale" : "");
	return 0;
}

static int fail(const char *what, const struct mgm_error *err)
{
	char buf[300];

	printf("%s failed: %s%s%s\n", what, mgm_strerror(err, buf, sizeof(buf)),
	       err->attr[0] ? " attr " : "", err->attr);
	return 1;
}

static void show(struct mgm *m, uint32_t h)
{
	struct mgm_error err;

	if (mgm_each_mfe(m, true, print_mfe, NULL, &err))
		fail("mfes", &err);
	if (mgm_each_group(m, true, print_group, NULL, &err))
		fail("groups", &err);
	if (mgm_each_membership(m, h, print_membership, NULL, &err))
		fail("memberships", &err);
	printf("end\n");
}

static bool parse_if(const char *name, struct mgm_if *ifp)
{
	ifp->ifindex = if_nametoindex(name);
	ifp->nexthop = 0;
	return ifp->ifindex;
}

/* [SOURCE,]GROUP@IFNAME */
static bool parse_join(char *s, struct mgm_sg *key, struct mgm_if *ifp)
{
	char *at = strchr(s, '@'), *comma = strchr(s, ',');

	if (!at)
		return false;
	*at = '\0';
	key->source = 0;
	if (comma) {
		*comma = '\0';
		if (inet_pton(AF_INET, s, &key->source) != 1)
			return false;
		s = comma + 1;
	}
	return inet_pton(AF_INET, s, &key->group) == 1 && parse_if(at + 1, ifp);
}

int main(int argc, char **argv)
{
	struct mgm_register_opts opts = { 0 };
	const struct mgm_callbacks *cb = &all;
	uint32_t protocol = 400, component = 1, h;
	unsigned int i, n_joins = 0;
	char *joins[MAX_IFS];
	struct mgm_sg key;
	struct mgm_if ifp;
	struct signalfd_siginfo si;
	struct mgm_error err;
	struct pollfd pfd[2];
	struct mgm *m;
	bool resync;
	sigset_t sigs;
	int opt, ret;

	setvbuf(stdout, NULL, _IOLBF, 0);
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigaddset(&sigs, SIGUSR1);
	sigaddset(&sigs, SIGUSR2);
	sigprocmask(SIG_BLOCK, &sigs, NULL);
	m = mgm_open(&err);
	if (!m)
		return fail("open", &err);
	while ((opt = getopt(argc, argv, "p:c:H:ns:d:j:")) != -1) {
		switch (opt) {
		case 'p':
			protocol = strtoul(optarg, NULL, 0);
			break;
		case 'c':
			component = strtoul(optarg, NULL, 0);
			break;
		case 'H':
			opts.hold_time = strtoul(optarg, NULL, 0);
			break;
		case 'n':
			cb = &notifications_only;
			break;
		case 's':
			rpf_delay_ms = strtoul(optarg, NULL, 0);
			break;
		case 'd':
			if (n_disabled == MAX_IFS ||
			    !parse_if(optarg, &disabled[n_disabled++]))
				return 2;
			break;
		case 'j':	/* once the interfaces are taken */
			if (n_joins == MAX_IFS)
				return 2;
			joins[n_joins++] = optarg;
			break;
		default:
			return 2;
		}
	}
	if (mgm_register(m, protocol, component, &opts, cb, NULL, &h, &resync,
			 &err))
		return fail("register", &err);
	printf("registered handle %u%s\n", h, resync ? " resync" : "");
	for (; optind < argc; optind++) {
		if (n_taken == MAX_IFS || !parse_if(argv[optind], &ifp))
			return 2;
		if (mgm_take(m, h, &ifp, &err))
			return fail("take", &err);
		taken[n_taken++] = ifp;
	}
	for (i = 0; i < n_joins; i++) {
		if (!parse_join(joins[i], &key, &ifp))
			return 2;
		if (mgm_add_membership(m, h, &key, &ifp, MGM_FLAG_JOIN_STATE,
				       &err))
			return fail("add-membership", &err);
	}
	printf("ready\n");

	pfd[0] = (struct pollfd){ .fd = mgm_fd(m), .events = POLLIN };
	pfd[1] = (struct pollfd){ .fd = signalfd(-1, &sigs, 0),
				  .events = POLLIN };
	for (;;) {
		if (poll(pfd, 2, -1) < 0 && errno != EINTR)
			return 1;
		if (pfd[0].revents & POLLIN) {
			ret = mgm_dispatch(m);
			if (ret)
				printf("dispatch: %s\n", strerror(-ret));
		}
		if (!(pfd[1].revents & POLLIN) ||
		    read(pfd[1].fd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGUSR1) {
			show(m, h);
			continue;
		}
		if (si.ssi_signo == SIGUSR2) {
			if (mgm_resync_end(m, h, &err))
				fail("resync-end", &err);
			else
				printf("resync ended\n");
			continue;
		}
		break;
	}
	while (n_taken)
		if (mgm_release(m, h, &taken[--n_taken], &err))
			fail("release", &err);
	if (mgm_deregister(m, h, &err))
		return fail("deregister", &err);
	mgm_close(m);
	printf("done\n");
	return 0;
}
