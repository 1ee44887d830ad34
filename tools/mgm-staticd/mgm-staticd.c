// SPDX-License-Identifier: GPL-2.0
/*
 * mgm-staticd: static multicast routing as a protocol of the Multicast
 * Group Manager, so that it coexists with other multicast routing
 * protocols on the same router (smcroute owns the whole ipmr table instead).
 *
 * It registers, takes the interfaces of its configuration file, reports
 * the receivers of each configured route as memberships (JOIN state) on
 * the route's outgoing interfaces, and answers MGM's questions for its
 * interfaces: rpf (the route lookup's incoming interface is kept),
 * creation alerts (an outgoing interface is enabled when a configured
 * route sends the MFE's (S,G) there), prune alerts (the configured
 * lifetime).  SIGHUP rereads the file and applies only the difference;
 * SIGTERM or SIGINT releases every interface and deregisters.
 *
 *   mgm-staticd [-f FILE] [-p PROTOCOL] [-c COMPONENT] [-u SOCKET]
 *               [-H SECONDS] [-s] [-t]
 */
#define _GNU_SOURCE
#include <arpa/inet.h>
#include <errno.h>
#include <netinet/in.h>
#include <poll.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/signalfd.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <sys/time.h>
#include <sys/un.h>
#include <syslog.h>
#include <unistd.h>

#include <libmnl/libmnl.h>
#include <linux/rtnetlink.h>

#include "../libmgm/libmgm.h"
#include "conf.h"

#define DEFAULT_CONF		"/etc/mgm-staticd.conf"
#define DEFAULT_PROTOCOL	300
#define DEFAULT_COMPONENT	1
/* component 1's; component C's is /run/mgm-staticd-C.sock */
#define DEFAULT_CONTROL		"/run/mgm-staticd.sock"

struct member {
	uint32_t source, group;	/* network byte order */
	uint32_t ifindex, nexthop;
};

static struct mgm *mgm;
static uint32_t handle;
/* seconds MGM keeps our state if we die (-H); we took over such a state */
static uint32_t hold_time;
static bool resyncing;
static bool use_syslog;
static const char *conf_path = DEFAULT_CONF;

/* What is in force: the configuration, and what MGM has of it. */
static struct conf conf;
static struct conf_if taken[CONF_MAX_IFS];
static int n_taken;
static struct member *members;
static int n_members;

static void say(int prio, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (use_syslog) {
		vsyslog(prio, fmt, ap);
	} else {
		fprintf(stderr, "mgm-staticd: ");
		vfprintf(stderr, fmt, ap);
		fputc('\n', stderr);
	}
	va_end(ap);
}

static const char *addr(uint32_t a)
{
	static char ring[4][INET_ADDRSTRLEN];
	static int next;
	char *s = ring[next++ % 4];

	return inet_ntop(AF_INET, &a, s, INET_ADDRSTRLEN);
}

/* "(S,G)" or "(*,G)" */
static const char *sg(uint32_t source, uint32_t group)
{
	static char buf[2][40];
	static int next;
	char *s = buf[next++ % 2];

	snprintf(s, sizeof(buf[0]), "(%s,%s)", source ? addr(source) : "*",
		 addr(group));
	return s;
}

/* The name of an interface: ours by configuration, else the kernel's. */
static const char *if_str(uint32_t ifindex, uint32_t nexthop)
{
	static char buf[2][IF_NAMESIZE + INET_ADDRSTRLEN + 16];
	static int next;
	char *s = buf[next++ % 2], name[IF_NAMESIZE];
	int i;

	for (i = 0; i < n_taken; i++)
		if (taken[i].ifindex == ifindex)
			break;
	if (i < n_taken)
		snprintf(name, sizeof(name), "%s", taken[i].name);
	else if (!if_indextoname(ifindex, name))
		snprintf(name, sizeof(name), "#%u", ifindex);
	if (nexthop)
		snprintf(s, sizeof(buf[0]), "%s nexthop %s", name,
			 addr(nexthop));
	else
		snprintf(s, sizeof(buf[0]), "%s", name);
	return s;
}

/* Log the failure of a request: its kernel message. */
static int report_error(const char *what, const struct mgm_error *err)
{
	char buf[512];

	say(LOG_ERR, "%s failed: %s", what,
	    mgm_strerror(err, buf, sizeof(buf)));
	return -err->err;
}

/* A request's result: its kernel message logged if it failed. */
static int check(int ret, const struct mgm_error *err, const char *what)
{
	return ret ? report_error(what, err) : 0;
}

static int take_or_release(const struct conf_if *ci, uint8_t cmd)
{
	struct mgm_if ifp = { ci->ifindex, ci->nexthop };
	bool take = cmd == MGM_CMD_TAKE_INTERFACE;
	struct mgm_error err;
	char what[128];
	int ret;

	snprintf(what, sizeof(what), "%s %s", take ? "take" : "release",
		 if_str(ci->ifindex, ci->nexthop));
	ret = take ? mgm_take(mgm, handle, &ifp, &err) :
		     mgm_release(mgm, handle, &ifp, &err);
	if (check(ret, &err, what))
		return ret;
	say(LOG_INFO, "%s interface %s (ifindex %u)",
	    take ? "took" : "released", if_str(ci->ifindex, ci->nexthop),
	    ci->ifindex);
	return 0;
}

static int membership(const struct member *m, uint8_t cmd)
{
	struct mgm_sg key = { m->source, m->group };
	struct mgm_if ifp = { m->ifindex, m->nexthop };
	bool add = cmd == MGM_CMD_ADD_MEMBERSHIP;
	struct mgm_error err;
	char what[128];
	int ret;

	snprintf(what, sizeof(what), "%s %s on %s", add ? "join" : "leave",
		 sg(m->source, m->group), if_str(m->ifindex, m->nexthop));
	ret = add ? mgm_add_membership(mgm, handle, &key, &ifp,
				       MGM_FLAG_JOIN_STATE, &err) :
		    mgm_delete_membership(mgm, handle, &key, &ifp,
					  MGM_FLAG_JOIN_STATE, &err);
	if (check(ret, &err, what))
		return ret;
	say(LOG_INFO, "%s %s on %s", add ? "joined" : "left",
	    sg(m->source, m->group), if_str(m->ifindex, m->nexthop));
	return 0;
}

static bool same_member(const struct member *a, const struct member *b)
{
	return a->source == b->source && a->group == b->group &&
	       a->ifindex == b->ifindex && a->nexthop == b->nexthop;
}

static int find_member(const struct member *set, int n,
		       const struct member *m)
{
	int i;

	for (i = 0; i < n; i++)
		if (same_member(&set[i], m))
			return i;
	return -1;
}

/* Add @m to the @n of *@set unless there; false if out of memory. */
static bool add_member(struct member **set, int *n, const struct member *m)
{
	struct member *grown;

	if (find_member(*set, *n, m) >= 0)
		return true;
	grown = realloc(*set, (*n + 1) * sizeof(*m));
	if (!grown)
		return false;
	*set = grown;
	(*set)[(*n)++] = *m;
	return true;
}

/*
 * The memberships that @c asks for, each once; NULL if out of memory.
 * MGM's keys are (S,G), (*,G) and (*,*) (mgm-staticd(8), "smcroute.conf"):
 * a source prefix is (*,G) and a group prefix of up to CONF_MAX_EXPAND
 * groups a key per group, both narrowed to the route by the answers to
 * the creation alerts (routed()); a wider group prefix is (*,*).
 */
static struct member *wanted(const struct conf *c, int *n)
{
	struct member *set = NULL, m;
	uint32_t g, n_groups;
	int r, t;

	*n = 0;
	for (r = 0; r < c->n_routes; r++) {
		const struct conf_route *cr = &c->routes[r];

		n_groups = 1U << (32 - cr->group_len);
		for (t = 0; t < cr->n_to; t++) {
			const struct conf_if *ci = &c->ifs[cr->to[t]];

			if (!ci->ifindex)
				continue;
			m = (struct member){
				.source = cr->source_len == 32 ? cr->source : 0,
				.ifindex = ci->ifindex, .nexthop = ci->nexthop,
			};
			for (g = 0; n_groups <= CONF_MAX_EXPAND &&
			     g < n_groups; g++) {
				m.group = htonl(ntohl(cr->group) + g);
				if (!add_member(&set, n, &m))
					goto oom;
			}
			if (n_groups > CONF_MAX_EXPAND) {
				m.source = 0;
				m.group = 0;
				if (!add_member(&set, n, &m))
					goto oom;
			}
		}
	}
	return set ? set : calloc(1, sizeof(m));
oom:
	free(set);
	return NULL;
}

static bool has_if(const struct conf_if *set, int n, const struct conf_if *ci)
{
	int i;

	for (i = 0; i < n; i++)
		if (set[i].ifindex == ci->ifindex &&
		    set[i].nexthop == ci->nexthop)
			return true;
	return false;
}

static bool is_taken(uint32_t ifindex, uint32_t nexthop)
{
	struct conf_if ci = { .ifindex = ifindex, .nexthop = nexthop };

	return has_if(taken, n_taken, &ci);
}

/*
 * systemd's readiness protocol (sd_notify(3)), spoken without libsystemd:
 * one datagram of "NAME=VALUE" lines to the socket that $NOTIFY_SOCKET
 * names ("@" first: an abstract one).  Without it (not started by systemd
 * as Type=notify) nothing is sent.
 */
static void notify(const char *fmt, ...)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	const char *path = getenv("NOTIFY_SOCKET");
	char msg[256];
	size_t len;
	va_list ap;
	int fd;

	if (!path || (path[0] != '/' && path[0] != '@'))
		return;
	len = strlen(path);
	if (len >= sizeof(sun.sun_path))
		return;
	memcpy(sun.sun_path, path, len);
	if (path[0] == '@')
		sun.sun_path[0] = '\0';
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	fd = socket(AF_UNIX, SOCK_DGRAM | SOCK_CLOEXEC, 0);
	if (fd < 0 ||
	    sendto(fd, msg, strlen(msg), MSG_NOSIGNAL, (struct sockaddr *)&sun,
		   offsetof(struct sockaddr_un, sun_path) + len) < 0)
		say(LOG_WARNING, "NOTIFY_SOCKET %s: %s", path, strerror(errno));
	if (fd >= 0)
		close(fd);
}

/* How many interfaces of the configuration do not exist yet. */
static int n_pending(void)
{
	int i, n = 0;

	for (i = 0; i < conf.n_ifs; i++)
		n += !conf.ifs[i].ifindex;
	return n;
}

static void notify_ready(void)
{
	notify("READY=1\nSTATUS=%d interfaces, %d memberships, %d pending",
	       n_taken, n_members, n_pending());
}

/*
 * smcroute's mgroup lines: the groups are joined as a host joins them, on
 * sockets of their own (each holds net.ipv4.igmp_max_memberships groups:
 * past that, another).  A new configuration joins on new sockets before
 * the old ones close, so that a group in both is never left (no IGMP
 * leave goes out for it).
 */
static int *join_fds;
static int n_join_fds;

static int join_one(int fd, const struct conf *c, const struct conf_join *j)
{
	struct group_source_req gsr = {
		.gsr_interface = c->ifs[j->at].ifindex,
	};
	struct sockaddr_in *group = (struct sockaddr_in *)&gsr.gsr_group;
	struct sockaddr_in *source = (struct sockaddr_in *)&gsr.gsr_source;
	struct group_req gr = { .gr_interface = c->ifs[j->at].ifindex };

	group->sin_family = AF_INET;
	group->sin_addr.s_addr = j->group;
	if (j->source) {
		source->sin_family = AF_INET;
		source->sin_addr.s_addr = j->source;
		return setsockopt(fd, IPPROTO_IP, MCAST_JOIN_SOURCE_GROUP,
				  &gsr, sizeof(gsr));
	}
	memcpy(&gr.gr_group, &gsr.gsr_group, sizeof(gr.gr_group));
	return setsockopt(fd, IPPROTO_IP, MCAST_JOIN_GROUP, &gr, sizeof(gr));
}

static void apply_joins(const struct conf *next)
{
	int *fds = NULL, *grown, n_fds = 0, i, pass, ret = -1;
	bool fresh;

	/*
	 * Any-source joins first, then source-specific ones on sockets of
	 * their own: on one socket, a group's source filter would turn its
	 * any-source join into an INCLUDE of those sources (or refuse it).
	 */
	for (pass = 0; pass < 2; pass++) {
		fresh = true;
		for (i = 0; i < next->n_joins; i++) {
			const struct conf_join *j = &next->joins[i];

			if (!next->ifs[j->at].ifindex || !j->source != !pass)
				continue;
			errno = ENOBUFS;
			if (!fresh)
				ret = join_one(fds[n_fds - 1], next, j);
			if (fresh || (ret && errno == ENOBUFS)) {
				grown = realloc(fds, (n_fds + 1) * sizeof(*fds));
				if (!grown)
					goto out;
				fds = grown;
				fds[n_fds] = socket(AF_INET,
						    SOCK_DGRAM | SOCK_CLOEXEC, 0);
				if (fds[n_fds] < 0)
					goto out;
				ret = join_one(fds[n_fds++], next, j);
				fresh = false;
				/* a fresh socket refused it too: no more */
				if (ret && errno == ENOBUFS)
					goto out;
			}
			if (ret)
				say(LOG_ERR, "mgroup %s on %s: %s",
				    sg(j->source, j->group),
				    next->ifs[j->at].name, strerror(errno));
			else
				say(LOG_INFO, "joined %s on %s as a host",
				    sg(j->source, j->group),
				    next->ifs[j->at].name);
		}
	}
out:
	if (pass < 2)
		say(LOG_ERR, "mgroup: %s; the rest is not joined",
		    strerror(errno));
	for (i = 0; i < n_join_fds; i++)
		close(join_fds[i]);
	free(join_fds);
	join_fds = fds;
	n_join_fds = n_fds;
}

/* Each line of the configuration that was left out, and why. */
static void say_warnings(const struct conf *c, FILE *also)
{
	const char *w = c->warnings, *nl;

	for (; w && *w; w = nl + 1) {
		nl = strchr(w, '\n');
		say(LOG_WARNING, "%.*s", (int)(nl - w), w);
		if (also)
			fprintf(also, "mgm-staticd: %.*s\n", (int)(nl - w), w);
	}
}

/* MGM dropped our memberships on @ifindex (released, or gone). */
static void forget_members(uint32_t ifindex)
{
	int k;

	for (k = n_members - 1; k >= 0; k--)
		if (members[k].ifindex == ifindex)
			members[k] = members[--n_members];
}

/*
 * Bring MGM from what it has of us to what @next asks for, changing only
 * the difference: memberships that go, interfaces that go, interfaces that
 * come, memberships that come.  A step that fails is logged and left out
 * (it is tried again at the next reload); the rest goes on.
 */
static int apply(struct conf *next)
{
	struct member *want;
	int n_want, i;

	want = wanted(next, &n_want);
	if (!want) {
		say(LOG_ERR, "out of memory");
		if (next != &conf)
			conf_free(next);
		return -1;
	}
	/*
	 * The new configuration is in force from here: the questions that
	 * the changes below cause (a prune alert when an MFE loses its last
	 * outgoing interface) are answered by it.  @next is the one in force
	 * already when an interface came or went.
	 */
	if (next != &conf) {
		if (next->prune_lifetime != conf.prune_lifetime)
			say(LOG_INFO, "prune lifetime %us%s",
			    next->prune_lifetime,
			    next->prune_lifetime ? "" : " (MGM's default)");
		conf_free(&conf);
		conf = *next;
	}
	for (i = n_members - 1; i >= 0; i--) {
		int ret;

		if (find_member(want, n_want, &members[i]) >= 0)
			continue;
		ret = membership(&members[i], MGM_CMD_DELETE_MEMBERSHIP);
		/* ENOENT: MGM dropped it already (its netdev went away) */
		if (ret && ret != -ENOENT)
			continue;
		members[i] = members[--n_members];
	}
	for (i = n_taken - 1; i >= 0; i--) {
		if (has_if(conf.ifs, conf.n_ifs, &taken[i]))
			continue;
		take_or_release(&taken[i], MGM_CMD_RELEASE_INTERFACE);
		/* released or not, MGM forgets our memberships there */
		forget_members(taken[i].ifindex);
		taken[i] = taken[--n_taken];
	}
	for (i = 0; i < conf.n_ifs; i++) {
		if (!conf.ifs[i].ifindex) {
			say(LOG_INFO, "interface %s pending: it does not exist yet",
			    conf.ifs[i].name);
			continue;
		}
		if (has_if(taken, n_taken, &conf.ifs[i]))
			continue;
		if (!take_or_release(&conf.ifs[i], MGM_CMD_TAKE_INTERFACE))
			taken[n_taken++] = conf.ifs[i];
	}
	for (i = 0; i < n_want; i++) {
		struct member *grown;

		if (find_member(members, n_members, &want[i]) >= 0 ||
		    !is_taken(want[i].ifindex, want[i].nexthop))
			continue;
		if (membership(&want[i], MGM_CMD_ADD_MEMBERSHIP))
			continue;
		grown = realloc(members, (n_members + 1) * sizeof(*members));
		if (!grown) {
			say(LOG_ERR, "out of memory");
			break;
		}
		members = grown;
		members[n_members++] = want[i];
	}
	free(want);
	apply_joins(&conf);
	return 0;
}

/* An answer could not be queued; one the kernel refused comes later. */
static void answered(int ret, const char *what)
{
	if (ret)
		say(LOG_ERR, "%s: %s", what, strerror(-ret));
}

/* rpf: keep the incoming interface and upstream of the route lookup. */
static void on_rpf(struct mgm *m, uint32_t h,
		   const struct mgm_rpf_question *q, void *arg)
{
	(void)arg;
	say(LOG_INFO, "rpf %s: incoming interface %s kept",
	    sg(q->sg.source, q->sg.group),
	    if_str(q->iif.ifindex, q->iif.nexthop));
	answered(mgm_answer_rpf(m, h, q->cookie, &q->iif, q->upstream),
		 "rpf reply");
}

static bool in_prefix(uint32_t addr, uint32_t prefix, uint8_t len)
{
	return !((addr ^ prefix) & (len ? htonl(~0U << (32 - len)) : 0));
}

/* Whether a configured route sends (@source, @group) from @iif to @oif. */
static bool routed(uint32_t source, uint32_t group, uint32_t iif,
		   uint32_t oif, uint32_t oif_nexthop)
{
	int r, t;

	for (r = 0; r < conf.n_routes; r++) {
		const struct conf_route *cr = &conf.routes[r];

		if (!in_prefix(group, cr->group, cr->group_len) ||
		    !in_prefix(source, cr->source, cr->source_len) ||
		    (cr->from >= 0 && conf.ifs[cr->from].ifindex != iif))
			continue;
		for (t = 0; t < cr->n_to; t++)
			if (conf.ifs[cr->to[t]].ifindex == oif &&
			    conf.ifs[cr->to[t]].nexthop == oif_nexthop)
				return true;
	}
	return false;
}

/* creation alert: enable the candidates that a configured route names. */
static void on_creation(struct mgm *m, uint32_t h,
			const struct mgm_creation_question *q, void *arg)
{
	char on[256] = "", off[256] = "";
	struct mgm_if *disabled;
	unsigned int i, n = 0;

	(void)arg;
	disabled = calloc(q->n_oifs ? q->n_oifs : 1, sizeof(*disabled));
	if (!disabled) {
		say(LOG_ERR, "out of memory: creation %s left to its deadline",
		    sg(q->sg.source, q->sg.group));
		return;
	}
	for (i = 0; i < q->n_oifs; i++) {
		const struct mgm_if *o = &q->oifs[i].ifp;
		bool yes = routed(q->sg.source, q->sg.group, q->iif.ifindex,
				  o->ifindex, o->nexthop);
		char *list = yes ? on : off;

		if (!yes)
			disabled[n++] = *o;
		snprintf(list + strlen(list), sizeof(on) - strlen(list), " %s",
			 if_str(o->ifindex, o->nexthop));
	}
	say(LOG_INFO, "creation %s from %s: enabled:%s disabled:%s",
	    sg(q->sg.source, q->sg.group),
	    q->iif.ifindex ? if_str(q->iif.ifindex, 0) : "nowhere",
	    on[0] ? on : " none", off[0] ? off : " none");
	answered(mgm_answer_creation(m, h, q->cookie, n, disabled),
		 "creation reply");
	free(disabled);
}

/* prune alert with a cookie: the MFE's lifetime. */
static void on_prune(struct mgm *m, uint32_t h,
		     const struct mgm_prune_alert *a, void *arg)
{
	uint32_t timeout = conf.prune_lifetime ? conf.prune_lifetime :
			   a->timeout;

	(void)arg;
	if (!a->cookie) {
		say(LOG_INFO, "notification prune-alert %s (a membership went)",
		    sg(a->sg.source, a->sg.group));
		return;
	}
	say(LOG_INFO, "prune %s: lifetime %us", sg(a->sg.source, a->sg.group),
	    timeout);
	answered(mgm_answer_prune(m, h, a->cookie, timeout), "prune reply");
}

/* The notifications: logged, nothing more. */
static void notified(const char *name, const struct mgm_sg *key,
		     const struct mgm_if *ifp)
{
	say(LOG_INFO, "notification %s %s%s%s", name,
	    key ? sg(key->source, key->group) : "", ifp ? " on " : "",
	    ifp ? if_str(ifp->ifindex, ifp->nexthop) : "");
}

static void on_join(struct mgm *m, uint32_t h, const struct mgm_sg *key,
		    bool member_update, void *arg)
{
	(void)m, (void)h, (void)member_update, (void)arg;
	notified("join-alert", key, NULL);
}

static void on_wrong_if(struct mgm *m, uint32_t h, const struct mgm_sg *key,
			const struct mgm_if *ifp, const void *packet,
			unsigned int len, void *arg)
{
	(void)m, (void)h, (void)packet, (void)len, (void)arg;
	notified("wrong-if", key, ifp);
}

static void on_local_join(struct mgm *m, uint32_t h,
			  const struct mgm_sg *key, const struct mgm_if *ifp,
			  void *arg)
{
	(void)m, (void)h, (void)arg;
	notified("local-join", key, ifp);
}

static void on_local_leave(struct mgm *m, uint32_t h,
			   const struct mgm_sg *key, const struct mgm_if *ifp,
			   void *arg)
{
	(void)m, (void)h, (void)arg;
	notified("local-leave", key, ifp);
}

static void on_answer_failed(struct mgm *m, uint32_t h, uint64_t cookie,
			     const struct mgm_error *err, void *arg)
{
	(void)m, (void)h, (void)cookie, (void)arg;
	report_error("an answer", err);
}

/* IGMP's bracket is for the IGMP component only: never ours */
static const struct mgm_callbacks callbacks = {
	.rpf = on_rpf,
	.creation_alert = on_creation,
	.prune_alert = on_prune,
	.join_alert = on_join,
	.wrong_if = on_wrong_if,
	.local_join = on_local_join,
	.local_leave = on_local_leave,
	.answer_failed = on_answer_failed,
};

static int do_register(uint32_t protocol, uint32_t component)
{
	struct mgm_register_opts opts = { .hold_time = hold_time };
	struct mgm_error err;
	int ret;

	ret = mgm_register(mgm, protocol, component, &opts, &callbacks, NULL,
			   &handle, &resyncing, &err);
	if (ret)
		return report_error("register", &err);
	say(LOG_INFO, "registered protocol %u component %u: handle %u%s",
	    protocol, component, handle,
	    resyncing ? ", taking over the state of the one before" : "");
	return 0;
}

/*
 * Taking the interfaces and adding the memberships again confirmed what
 * the configuration still names; the rest of the state we took over goes
 * now, not one hold time later.
 */
static void end_resync(void)
{
	struct mgm_error err;

	if (!check(mgm_resync_end(mgm, handle, &err), &err, "resync-end"))
		say(LOG_INFO, "resync ended: what the configuration no longer names is released");
}

/* SIGTERM: every interface released (MGM drops their memberships), then
 * the registration.
 */
static int shut_down(void)
{
	struct mgm_error err;
	int ret = 0;

	say(LOG_INFO, "shutting down");
	notify("STOPPING=1");
	while (n_taken) {
		if (take_or_release(&taken[n_taken - 1],
				    MGM_CMD_RELEASE_INTERFACE))
			ret = -1;
		n_taken--;
	}
	n_members = 0;
	if (check(mgm_deregister(mgm, handle, &err), &err, "deregister"))
		return -1;
	say(LOG_INFO, "deregistered handle %u", handle);
	return ret;
}

/* SIGHUP, or the control socket's reload: -1 with the reason in @err. */
static int reload(char *err, size_t size)
{
	struct conf next;

	say(LOG_INFO, "rereading %s", conf_path);
	if (conf_read(conf_path, &next, err, size)) {
		say(LOG_ERR, "%s; keeping the configuration in force", err);
		return -1;
	}
	notify("RELOADING=1");
	say_warnings(&next, NULL);
	apply(&next);
	say(LOG_INFO, "configuration applied: %d interfaces, %d memberships, %d pending",
	    n_taken, n_members, n_pending());
	notify_ready();
	return 0;
}

/*
 * The control socket (mgm-staticd(8), "RUNTIME CONTROL"): one command a
 * connection, one reply: "ok" and what was asked for, or "error: WHY".
 * add and del change the configuration in force until the next reload.
 */
static const char *control_path;
static char control_default[64];
/* how conf_edit() names the line of a command, before the reason */
#define CONTROL_LINE	"control:1: "
/* a reply goes in messages of this size, which the client reads to EOF */
#define CONTROL_CHUNK	32768
static int control_fd = -1;

static int open_control(void)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };

	if (strlen(control_path) >= sizeof(sun.sun_path)) {
		say(LOG_ERR, "control socket path too long: %s", control_path);
		return -1;
	}
	memcpy(sun.sun_path, control_path, strlen(control_path));
	control_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	/* another instance's (another component): not ours to take */
	if (control_fd >= 0 &&
	    !connect(control_fd, (struct sockaddr *)&sun, sizeof(sun))) {
		say(LOG_ERR, "control socket %s: another mgm-staticd listens there (-u)",
		    control_path);
		return -1;
	}
	close(control_fd);
	control_fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	/* a socket file left by an instance that died */
	unlink(control_path);
	if (control_fd < 0 ||
	    bind(control_fd, (struct sockaddr *)&sun, sizeof(sun)) ||
	    chmod(control_path, 0600) || listen(control_fd, 4)) {
		say(LOG_ERR, "control socket %s: %s", control_path,
		    strerror(errno));
		return -1;
	}
	return 0;
}

static void control_command(char *cmd, FILE *out)
{
	char err[512], *arg = cmd + strcspn(cmd, " ");
	bool add = !strncmp(cmd, "add ", 4);
	struct conf next;

	while (*arg == ' ')
		arg++;
	if (!strcmp(cmd, "show") || !strcmp(cmd, "show json")) {
		fprintf(out, "ok\n");
		if (cmd[4])
			conf_print_json(&conf, out);
		else
			conf_print(&conf, out);
	} else if (!strcmp(cmd, "reload")) {
		if (reload(err, sizeof(err)))
			fprintf(out, "error: %s\n", err);
		else
			fprintf(out, "ok\n");
	} else if (add || !strncmp(cmd, "del ", 4)) {
		if (conf_edit(&next, &conf, arg, add, err, sizeof(err))) {
			/* "control:1: WHY": the line is the command's */
			fprintf(out, "error: %s\n",
				strncmp(err, CONTROL_LINE, strlen(CONTROL_LINE)) ?
				err : err + strlen(CONTROL_LINE));
			return;
		}
		say(LOG_INFO, "control: %s", cmd);
		if (apply(&next)) {
			fprintf(out, "error: %s\n", strerror(ENOMEM));
			return;
		}
		say(LOG_INFO, "configuration applied: %d interfaces, %d memberships, %d pending",
		    n_taken, n_members, n_pending());
		notify_ready();
		fprintf(out, "ok\n");
	} else {
		fprintf(out, "error: unknown command \"%s\" (show, add, del, reload)\n",
			cmd);
	}
}

static void control_accept(void)
{
	struct timeval tv = { .tv_usec = 100000 };
	char cmd[1024], *reply = NULL;
	size_t len = 0, off, chunk;
	ssize_t n;
	FILE *out;
	int fd;

	fd = accept4(control_fd, NULL, NULL, SOCK_CLOEXEC);
	if (fd < 0)
		return;
	/*
	 * mgmctl sends its command as it connects: one that says nothing
	 * within 100 ms holds up MGM's questions no longer than that
	 */
	setsockopt(fd, SOL_SOCKET, SO_RCVTIMEO, &tv, sizeof(tv));
	n = recv(fd, cmd, sizeof(cmd) - 1, MSG_TRUNC);
	out = open_memstream(&reply, &len);
	if (n > 0 && out) {
		if ((size_t)n >= sizeof(cmd) - 1) {
			fprintf(out, "error: command longer than %zu bytes\n",
				sizeof(cmd) - 2);
		} else {
			cmd[n] = '\0';
			cmd[strcspn(cmd, "\n")] = '\0';
			control_command(cmd, out);
		}
		fclose(out);
		for (off = 0; off < len; off += chunk) {
			chunk = len - off < CONTROL_CHUNK ? len - off :
				CONTROL_CHUNK;
			if (send(fd, reply + off, chunk, MSG_NOSIGNAL) < 0) {
				say(LOG_WARNING, "control: %s", strerror(errno));
				break;
			}
		}
	} else if (out) {
		fclose(out);
	}
	free(reply);
	close(fd);
}

static int usage(FILE *f, int status)
{
	fprintf(f,
		"Usage: mgm-staticd [-f FILE] [-p PROTOCOL] [-c COMPONENT] [-u SOCKET] [-H SECONDS]\n"
		"                   [-s] [-t]\n"
		"Static multicast routes as a protocol of the Multicast Group Manager.\n"
		"  -f FILE       configuration file (default %s)\n"
		"  -p PROTOCOL   protocol id to register with (default %u)\n"
		"  -c COMPONENT  component id (default %u)\n"
		"  -u SOCKET     control socket, for mgmctl static (default %s,\n"
		"                or /run/mgm-staticd-COMPONENT.sock for another component)\n"
		"  -H SECONDS    if mgm-staticd dies, MGM keeps forwarding its routes for\n"
		"                this long, for the next mgm-staticd to take over (max %u)\n"
		"  -s            log to syslog instead of stderr\n"
		"  -t            check the configuration file and exit\n"
		"SIGHUP rereads FILE and applies the difference; SIGTERM releases\n"
		"every interface and deregisters.  Format: mgm-staticd(8).\n",
		DEFAULT_CONF, DEFAULT_PROTOCOL, DEFAULT_COMPONENT,
		DEFAULT_CONTROL, MGM_HOLD_TIME_MAX);
	return status;
}

static bool parse_u32(const char *s, uint32_t *v)
{
	unsigned long x;
	char *end;

	errno = 0;
	x = strtoul(s, &end, 0);
	if (errno || !*s || *end || *s == '-' || x > UINT32_MAX)
		return false;
	*v = x;
	return true;
}

/*
 * Interfaces came or went (an rtnetlink link message, whichever): each of
 * the configuration's is looked up by name again.  One that went was
 * dropped by MGM with our memberships there (its netdev is gone); it is
 * pending again.  One that came, by its name, is taken with what the
 * configuration wants there, as at a reload.
 */
static void refresh_links(void)
{
	bool changed = false;
	uint32_t now;
	int i, k;

	for (i = 0; i < conf.n_ifs; i++) {
		struct conf_if *ci = &conf.ifs[i];

		now = if_nametoindex(ci->name);
		if (now == ci->ifindex)
			continue;
		if (ci->ifindex) {
			char other[IF_NAMESIZE];

			say(LOG_INFO, "interface %s went away: pending",
			    ci->name);
			for (k = n_taken - 1; k >= 0; k--) {
				if (taken[k].ifindex != ci->ifindex)
					continue;
				/*
				 * renamed, not gone: MGM still has it, and
				 * our memberships there, until released
				 */
				if (if_indextoname(ci->ifindex, other))
					take_or_release(&taken[k],
							MGM_CMD_RELEASE_INTERFACE);
				taken[k] = taken[--n_taken];
			}
			forget_members(ci->ifindex);
		}
		ci->ifindex = now;
		if (now)
			say(LOG_INFO, "interface %s appeared (ifindex %u)",
			    ci->name, now);
		changed = true;
	}
	if (!changed)
		return;
	apply(&conf);
	say(LOG_INFO, "configuration applied: %d interfaces, %d memberships, %d pending",
	    n_taken, n_members, n_pending());
	notify_ready();
}

/* rtnetlink's link group: only that something changed matters. */
static struct mnl_socket *links;

static int open_links(void)
{
	links = mnl_socket_open2(NETLINK_ROUTE, SOCK_CLOEXEC | SOCK_NONBLOCK);
	if (!links || mnl_socket_bind(links, RTMGRP_LINK, MNL_SOCKET_AUTOPID)) {
		say(LOG_ERR, "rtnetlink: %s", strerror(errno));
		return -1;
	}
	return 0;
}

static void links_changed(void)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	/* drained; an overflow (ENOBUFS) is a change all the same */
	while (mnl_socket_recvfrom(links, buf, sizeof(buf)) > 0 ||
	       errno == ENOBUFS)
		;
	refresh_links();
}

static int run(int sfd)
{
	struct pollfd pfd[4] = {
		{ .fd = mgm_fd(mgm), .events = POLLIN },
		{ .fd = sfd, .events = POLLIN },
		{ .fd = mnl_socket_get_fd(links), .events = POLLIN },
		{ .fd = control_fd, .events = POLLIN },
	};
	struct signalfd_siginfo si;
	char err[512];
	int ret;

	for (;;) {
		if (poll(pfd, 4, -1) < 0) {
			if (errno == EINTR)
				continue;
			say(LOG_ERR, "poll: %s", strerror(errno));
			return -1;
		}
		if (pfd[0].revents & POLLIN) {
			ret = mgm_dispatch(mgm);
			if (ret == -ENOBUFS)
				say(LOG_WARNING,
				    "questions lost: the socket overflowed (MGM uses its defaults)");
			else if (ret && ret != -EINTR)
				say(LOG_ERR, "netlink: %s", strerror(-ret));
		}
		if (pfd[2].revents & POLLIN)
			links_changed();
		if (pfd[3].revents & POLLIN)
			control_accept();
		if (!(pfd[1].revents & POLLIN))
			continue;
		if (read(sfd, &si, sizeof(si)) != sizeof(si))
			continue;
		if (si.ssi_signo == SIGHUP)
			reload(err, sizeof(err));
		else
			return shut_down();
	}
}

int main(int argc, char **argv)
{
	uint32_t protocol = DEFAULT_PROTOCOL, component = DEFAULT_COMPONENT;
	bool check_only = false;
	int i, pending = 0;
	struct mgm_error merr;
	struct conf first;
	char err[512];
	sigset_t sigs;
	int opt, sfd, ret;

	/*
	 * Signals arrive as reads, between requests, never inside one; blocked
	 * from the start, so that a reload (SIGHUP) sent while the file is
	 * being read is kept for the loop, not taken as the default's exit.
	 */
	sigemptyset(&sigs);
	sigaddset(&sigs, SIGHUP);
	sigaddset(&sigs, SIGTERM);
	sigaddset(&sigs, SIGINT);
	sigprocmask(SIG_BLOCK, &sigs, NULL);

	while ((opt = getopt(argc, argv, "f:p:c:u:H:sth")) != -1) {
		switch (opt) {
		case 'f':
			conf_path = optarg;
			break;
		case 'u':
			control_path = optarg;
			break;
		case 'p':
			if (!parse_u32(optarg, &protocol))
				return usage(stderr, 2);
			break;
		case 'c':
			if (!parse_u32(optarg, &component))
				return usage(stderr, 2);
			break;
		case 'H':
			if (!parse_u32(optarg, &hold_time) ||
			    hold_time > MGM_HOLD_TIME_MAX)
				return usage(stderr, 2);
			break;
		case 's':
			use_syslog = true;
			break;
		case 't':
			check_only = true;
			break;
		case 'h':
			return usage(stdout, 0);
		default:
			return usage(stderr, 2);
		}
	}
	if (optind != argc)
		return usage(stderr, 2);
	if (use_syslog)
		openlog("mgm-staticd", LOG_PID, LOG_DAEMON);

	/*
	 * Interfaces that come while the file is read are seen: the link
	 * messages wait on the socket until the loop reads them.
	 */
	if (!check_only && open_links())
		return 1;
	/* nothing is applied unless the whole file is good */
	if (conf_read(conf_path, &first, err, sizeof(err))) {
		say(LOG_ERR, "%s", err);
		return 1;
	}
	if (check_only) {
		say_warnings(&first, use_syslog ? stderr : NULL);
		for (i = 0; i < first.n_ifs; i++)
			pending += !first.ifs[i].ifindex;
		printf("%s: %d interfaces%s, %d routes, %d host joins: OK\n",
		       conf_path, first.n_ifs,
		       pending ? " (some pending: they do not exist yet)" : "",
		       first.n_routes, first.n_joins);
		conf_free(&first);
		return 0;
	}

	sfd = signalfd(-1, &sigs, SFD_CLOEXEC);
	if (sfd < 0) {
		say(LOG_ERR, "signalfd: %s", strerror(errno));
		return 1;
	}

	mgm = mgm_open(&merr);
	if (!mgm) {
		say(LOG_ERR, "%s", merr.err == ENOENT ?
		    "no generic netlink family \"mgm\" (is mgm.ko loaded?)" :
		    strerror(merr.err));
		return 1;
	}
	if (do_register(protocol, component)) {
		mgm_close(mgm);
		return 1;
	}
	/* each instance (component) a socket of its own by default */
	if (!control_path) {
		if (component == DEFAULT_COMPONENT)
			snprintf(control_default, sizeof(control_default),
				 "%s", DEFAULT_CONTROL);
		else
			snprintf(control_default, sizeof(control_default),
				 "/run/mgm-staticd-%u.sock", component);
		control_path = control_default;
	}
	/* after the registration, which refuses a second instance */
	if (open_control()) {
		shut_down();
		mgm_close(mgm);
		return 1;
	}
	say_warnings(&first, NULL);
	apply(&first);
	if (resyncing)
		end_resync();
	say(LOG_INFO, "configuration applied: %d interfaces, %d memberships, %d pending",
	    n_taken, n_members, n_pending());
	notify_ready();
	ret = run(sfd);
	close(control_fd);
	unlink(control_path);
	mnl_socket_close(links);
	conf_free(&conf);
	free(members);
	mgm_close(mgm);
	say(LOG_INFO, "exiting");
	return ret ? 1 : 0;
}
