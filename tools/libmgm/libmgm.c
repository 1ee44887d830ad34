// SPDX-License-Identifier: LGPL-2.1-or-later
/*
 * libmgm, over the netlink layer the tools share (tools/lib): libmgm.h
 * says what it promises, libmgm(3) how a daemon uses it.
 *
 * What arrives for the callbacks is copied into a queue and passed on
 * only once no request is reading the socket: the socket's buffer is
 * reused by every read, and a callback may make a request of its own.
 * The queue is bounded (MGM_LIB_QUEUE_MAX); what would pass the bound is
 * dropped and reported as -ENOBUFS, as the socket's own overflow is.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>

#include <linux/genetlink.h>
#include <linux/netlink.h>

#include "../lib/mgm_nl.h"
#include "libmgm.h"

/* notifications kept while a request runs: what a burst of new sources
 * asks of a protocol in the time of a long request, and then some
 */
#define MGM_LIB_QUEUE_MAX	4096

struct mgm_reg {
	uint32_t handle;
	const struct mgm_callbacks *cb;
	void *arg;
};

/* An answer the kernel refused, for its answer_failed callback. */
struct mgm_failure {
	uint32_t handle;
	uint64_t cookie;
	struct mgm_error err;
};

struct mgm_kept {
	struct mgm_kept *next;
	struct mgm_failure *failure;	/* NULL: a message, in nlh */
	struct nlmsghdr nlh[];		/* nlmsg_len bytes */
};

struct mgm {
	struct mgm_nl nl;
	struct mgm_batch answers;
	struct mgm_reg *regs;
	unsigned int n_regs;
	struct mgm_kept *head, **tail;
	unsigned int n_kept;
	bool overrun;		/* kept messages were dropped */
	bool busy;		/* a request reads the socket */
	bool flushing;		/* the answers' batch is on its way */
	bool delivering;	/* callbacks run: the outermost drains */
	void *reply_data;	/* the reply callback's, while it reads */
};

static void set_error(struct mgm_error *out, const struct mgm_err *in)
{
	unsigned int attr;

	if (!out)
		return;
	memset(out, 0, sizeof(*out));
	out->err = in->err;
	snprintf(out->msg, sizeof(out->msg), "%s", in->msg);
	attr = in->bad_attr ? in->bad_attr : in->missing;
	if (attr && attr <= MGM_A_MAX && mgm_attr_info[attr].name)
		snprintf(out->attr, sizeof(out->attr), "%s",
			 mgm_attr_info[attr].name);
}

static int local_error(struct mgm_error *out, int err)
{
	if (out) {
		memset(out, 0, sizeof(*out));
		out->err = err;
	}
	return -err;
}

const char *mgm_strerror(const struct mgm_error *err, char *buf,
			 unsigned long size)
{
	return mgm_err_str(err->err, err->msg, buf, size);
}

static struct mgm_reg *find_reg(struct mgm *m, uint32_t handle)
{
	unsigned int i;

	for (i = 0; i < m->n_regs; i++)
		if (m->regs[i].handle == handle)
			return &m->regs[i];
	return NULL;
}

/* A new entry at the end of the queue, or NULL past its bound. */
static struct mgm_kept *append_kept(struct mgm *m, size_t extra)
{
	struct mgm_kept *k = NULL;

	if (m->n_kept < MGM_LIB_QUEUE_MAX)
		k = malloc(sizeof(*k) + extra);
	if (!k) {
		m->overrun = true;
		return NULL;
	}
	k->next = NULL;
	k->failure = NULL;
	*m->tail = k;
	m->tail = &k->next;
	m->n_kept++;
	return k;
}

/* Everything that is not the answer to the request under way. */
static int keep(const struct nlmsghdr *nlh, bool multicast, void *data)
{
	struct mgm *m = data;
	struct mgm_kept *k;

	/* only what is for a registration: questions and notifications */
	if (multicast || nlh->nlmsg_type != m->nl.family)
		return MNL_CB_OK;
	k = append_kept(m, nlh->nlmsg_len);
	if (k)
		memcpy(k->nlh, nlh, nlh->nlmsg_len);
	return MNL_CB_OK;
}

static uint32_t get_u32(const struct nlattr **tb, int type)
{
	return tb[type] ? mnl_attr_get_u32(tb[type]) : 0;
}

static struct mgm_sg get_sg(const struct nlattr **tb)
{
	return (struct mgm_sg){ get_u32(tb, MGM_A_SOURCE),
				get_u32(tb, MGM_A_GROUP) };
}

static struct mgm_if get_if(const struct nlattr **tb)
{
	return (struct mgm_if){ get_u32(tb, MGM_A_IFINDEX),
				get_u32(tb, MGM_A_NEXTHOP) };
}

/*
 * The oif attributes of @nlh in a new array (NULL if there are none, or
 * no memory: *@n is then 0).
 */
static struct mgm_oif *get_oifs(const struct nlmsghdr *nlh, unsigned int *n)
{
	const struct nlattr *a, *ot[MGM_OIF_A_MAX + 1];
	struct mgm_oif *oifs;
	unsigned int count = 0;

	*n = 0;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr))
		count += mnl_attr_get_type(a) == MGM_A_OIF;
	if (!count)
		return NULL;
	oifs = calloc(count, sizeof(*oifs));
	if (!oifs)
		return NULL;
	mnl_attr_for_each(a, nlh, sizeof(struct genlmsghdr)) {
		if (mnl_attr_get_type(a) != MGM_A_OIF)
			continue;
		mgm_nl_parse_oif(a, ot);
		if (!ot[MGM_OIF_A_IFINDEX])
			continue;
		oifs[*n].ifp.ifindex = mnl_attr_get_u32(ot[MGM_OIF_A_IFINDEX]);
		oifs[*n].ifp.nexthop = ot[MGM_OIF_A_NEXTHOP] ?
				       mnl_attr_get_u32(ot[MGM_OIF_A_NEXTHOP]) : 0;
		oifs[*n].igmp = ot[MGM_OIF_A_IGMP];
		(*n)++;
	}
	return oifs;
}

static void on_rpf(struct mgm *m, const struct mgm_reg *r,
		   const struct nlattr **tb)
{
	struct mgm_rpf_question q = {
		.cookie = mnl_attr_get_u64(tb[MGM_A_COOKIE]),
		.sg = get_sg(tb),
		.iif = { get_u32(tb, MGM_A_IIF), get_u32(tb, MGM_A_IIF_NEXTHOP) },
		.upstream = get_u32(tb, MGM_A_UPSTREAM),
		.route_prefix = get_u32(tb, MGM_A_ROUTE_PREFIX),
	};

	if (tb[MGM_A_ROUTE_PREFIX_LEN])
		q.route_prefix_len = mnl_attr_get_u8(tb[MGM_A_ROUTE_PREFIX_LEN]);
	if (tb[MGM_A_ROUTE_PROTOCOL])
		q.route_protocol = mnl_attr_get_u8(tb[MGM_A_ROUTE_PROTOCOL]);
	if (tb[MGM_A_PACKET]) {
		q.packet = mnl_attr_get_payload(tb[MGM_A_PACKET]);
		q.packet_len = mnl_attr_get_payload_len(tb[MGM_A_PACKET]);
	}
	if (r->cb->rpf)
		r->cb->rpf(m, r->handle, &q, r->arg);
	else	/* asked before the standing answer was set */
		mgm_answer_rpf(m, r->handle, q.cookie, &q.iif, q.upstream);
}

static void on_creation(struct mgm *m, const struct mgm_reg *r,
			const struct nlmsghdr *nlh, const struct nlattr **tb)
{
	struct mgm_creation_question q = {
		.cookie = mnl_attr_get_u64(tb[MGM_A_COOKIE]),
		.sg = get_sg(tb),
		.iif = { get_u32(tb, MGM_A_IIF), get_u32(tb, MGM_A_IIF_NEXTHOP) },
	};
	struct mgm_oif *oifs = get_oifs(nlh, &q.n_oifs);

	q.oifs = oifs;
	if (r->cb->creation_alert)
		r->cb->creation_alert(m, r->handle, &q, r->arg);
	else
		mgm_answer_creation(m, r->handle, q.cookie, 0, NULL);
	free(oifs);
}

static void on_prune(struct mgm *m, const struct mgm_reg *r,
		     const struct nlattr **tb)
{
	struct mgm_prune_alert a = {
		.sg = get_sg(tb),
		.oif = get_if(tb),
		.timeout = get_u32(tb, MGM_A_TIMEOUT),
	};

	/* a membership delete's alert asks nothing */
	if (tb[MGM_A_COOKIE] && !tb[MGM_A_MEMBER_DELETE])
		a.cookie = mnl_attr_get_u64(tb[MGM_A_COOKIE]);
	if (r->cb->prune_alert)
		r->cb->prune_alert(m, r->handle, &a, r->arg);
	else if (a.cookie)
		mgm_answer_prune(m, r->handle, a.cookie, a.timeout);
}

static void on_notification(struct mgm *m, const struct mgm_reg *r, int cmd,
			    const struct nlattr **tb)
{
	const struct mgm_callbacks *cb = r->cb;
	struct mgm_sg sg = get_sg(tb);
	struct mgm_if ifp = get_if(tb);

	switch (cmd) {
	case MGM_CMD_JOIN_ALERT:
		if (cb->join_alert)
			cb->join_alert(m, r->handle, &sg,
				       tb[MGM_A_MEMBER_UPDATE], r->arg);
		break;
	case MGM_CMD_WRONG_IF:
		if (cb->wrong_if)
			cb->wrong_if(m, r->handle, &sg, &ifp,
				     tb[MGM_A_PACKET] ?
				     mnl_attr_get_payload(tb[MGM_A_PACKET]) :
				     NULL,
				     tb[MGM_A_PACKET] ?
				     mnl_attr_get_payload_len(tb[MGM_A_PACKET]) :
				     0, r->arg);
		break;
	case MGM_CMD_LOCAL_JOIN:
		if (cb->local_join)
			cb->local_join(m, r->handle, &sg, &ifp, r->arg);
		break;
	case MGM_CMD_LOCAL_LEAVE:
		if (cb->local_leave)
			cb->local_leave(m, r->handle, &sg, &ifp, r->arg);
		break;
	case MGM_CMD_DISABLE_IGMP:
		if (cb->disable_igmp)
			cb->disable_igmp(m, r->handle, &ifp, r->arg);
		break;
	case MGM_CMD_ENABLE_IGMP:
		if (cb->enable_igmp)
			cb->enable_igmp(m, r->handle, &ifp, r->arg);
		break;
	}
}

static void deliver(struct mgm *m, const struct nlmsghdr *nlh)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	const struct mgm_reg *r;
	struct mgm_reg copy;
	int cmd = mgm_nl_parse(nlh, tb);

	if (!tb[MGM_A_HANDLE])
		return;
	r = find_reg(m, mnl_attr_get_u32(tb[MGM_A_HANDLE]));
	if (!r)
		return;
	/* the registrations may move (a callback registers another) */
	copy = *r;
	switch (cmd) {
	case MGM_CMD_RPF:
		if (tb[MGM_A_COOKIE])
			on_rpf(m, &copy, tb);
		break;
	case MGM_CMD_CREATION_ALERT:
		if (tb[MGM_A_COOKIE])
			on_creation(m, &copy, nlh, tb);
		break;
	case MGM_CMD_PRUNE_ALERT:
		on_prune(m, &copy, tb);
		break;
	default:
		on_notification(m, &copy, cmd, tb);
		break;
	}
}

static void deliver_failure(struct mgm *m, const struct mgm_failure *f)
{
	struct mgm_reg *r = find_reg(m, f->handle);
	struct mgm_reg copy;

	if (!r || !r->cb->answer_failed)
		return;
	copy = *r;
	copy.cb->answer_failed(m, copy.handle, f->cookie, &f->err, copy.arg);
}

/* Pass on what was kept, oldest first; a callback may add to it. */
static void run_kept(struct mgm *m)
{
	struct mgm_kept *k;

	while ((k = m->head)) {
		m->head = k->next;
		if (!m->head)
			m->tail = &m->head;
		m->n_kept--;
		if (k->failure)
			deliver_failure(m, k->failure);
		else
			deliver(m, k->nlh);
		free(k->failure);
		free(k);
	}
}

/*
 * A queued answer failed: kept for the answer_failed callback of its
 * registration, which runs once the batch is through.
 */
static void answer_failed(const struct nlmsghdr *nlh,
			  const struct nlmsghdr *req, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct mgm_failure *f;
	struct mgm_err err;
	struct mgm *m = data;
	struct mgm_kept *k;

	mgm_nl_parse(req, tb);
	if (!tb[MGM_A_HANDLE])
		return;
	f = calloc(1, sizeof(*f));
	k = f ? append_kept(m, 0) : NULL;
	if (!k) {
		free(f);
		return;
	}
	k->failure = f;
	f->handle = mnl_attr_get_u32(tb[MGM_A_HANDLE]);
	if (tb[MGM_A_COOKIE])
		f->cookie = mnl_attr_get_u64(tb[MGM_A_COOKIE]);
	mgm_nl_parse_error(nlh, req, &err);
	set_error(&f->err, &err);
}

/*
 * Send the queued answers.  A socket that overflowed meanwhile lost
 * notifications, not the answers: that is reported as an overrun, and
 * what comes next goes on.
 */
static int flush_answers(struct mgm *m)
{
	int ret;

	m->busy = true;
	m->flushing = true;
	ret = mgm_batch_flush(&m->answers);
	m->flushing = false;
	m->busy = false;
	if (ret == -ENOBUFS) {
		m->overrun = true;
		ret = 0;
	}
	return ret;
}

int mgm_flush(struct mgm *m)
{
	int ret = 0;

	if (m->busy)
		return -EBUSY;
	/*
	 * A request from inside a callback sends the answers, and leaves
	 * what was kept to the loop below it: callbacks never nest, and each
	 * one is over before the next begins.
	 */
	if (m->delivering)
		return flush_answers(m);
	m->delivering = true;
	/* the callbacks of what arrived meanwhile may answer in turn */
	while (!ret && (mgm_batch_pending(&m->answers) || m->head)) {
		ret = flush_answers(m);
		run_kept(m);
	}
	m->delivering = false;
	return ret;
}

/*
 * Send @req and wait for its verdict, keeping what else arrives; then
 * pass that on unless @hold_kept (register: its handle is not known
 * yet).  Returns 0, the kernel's -errno, or a socket's.
 */
static int transact(struct mgm *m, struct nlmsghdr *req, mgm_nl_cb reply,
		    void *data, struct mgm_error *err, bool hold_kept)
{
	struct mgm_err e;
	int ret;

	if (m->busy)
		return local_error(err, EBUSY);
	/* answers first: the kernel sees them in the order they were made */
	ret = flush_answers(m);
	if (!ret) {
		/* both callbacks get @m: keep() needs it, @reply finds @data */
		m->busy = true;
		m->reply_data = data;
		ret = mgm_nl_transact(&m->nl, req, reply, keep, m, &e);
		m->reply_data = NULL;
		m->busy = false;
	}
	if (ret) {
		local_error(err, -ret);
	} else {
		set_error(err, &e);
		ret = -e.err;
	}
	if (!hold_kept)
		mgm_flush(m);
	return ret;
}

static struct nlmsghdr *new_request(struct mgm *m, void *buf, uint8_t cmd,
				    uint32_t handle, uint16_t flags)
{
	struct nlmsghdr *nlh = mgm_nl_request(&m->nl, buf, cmd, flags);

	if (handle)
		mnl_attr_put_u32(nlh, MGM_A_HANDLE, handle);
	return nlh;
}

struct mgm *mgm_open(struct mgm_error *err)
{
	struct mgm *m = calloc(1, sizeof(*m));
	int ret;

	if (!m) {
		local_error(err, ENOMEM);
		return NULL;
	}
	ret = mgm_nl_open(&m->nl);
	if (ret) {
		local_error(err, -ret);
		free(m);
		return NULL;
	}
	m->tail = &m->head;
	mgm_batch_init(&m->answers, &m->nl, answer_failed, keep, m);
	return m;
}

void mgm_close(struct mgm *m)
{
	struct mgm_kept *k;

	if (!m)
		return;
	while ((k = m->head)) {
		m->head = k->next;
		free(k->failure);
		free(k);
	}
	mgm_nl_close(&m->nl);
	free(m->regs);
	free(m);
}

int mgm_fd(const struct mgm *m)
{
	return mgm_nl_fd(&m->nl);
}

int mgm_dispatch(struct mgm *m)
{
	int ret = 0, i, n;

	if (m->busy)
		return -EBUSY;
	/* what is there now, but a bounded amount per call */
	for (i = 0; i < 64; i++) {
		n = mgm_nl_recv_flags(&m->nl, MSG_DONTWAIT, keep, m);
		if (n == -ENOBUFS) {
			m->overrun = true;
			continue;
		}
		if (n == -EAGAIN || n == -EINTR)
			break;
		if (n < 0) {
			ret = n;
			break;
		}
	}
	n = mgm_flush(m);
	if (!ret)
		ret = n;
	if (!ret && m->overrun)
		ret = -ENOBUFS;
	m->overrun = false;
	return ret;
}

static int simple(struct mgm *m, uint8_t cmd, uint32_t handle,
		  struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];

	return transact(m, new_request(m, buf, cmd, handle, NLM_F_ACK), NULL,
			NULL, err, false);
}

static int set_answers(struct mgm *m, uint32_t handle, uint32_t answers,
		       struct mgm_error *err, bool hold_kept)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh;

	nlh = new_request(m, buf, MGM_CMD_SET_ANSWERS, handle, NLM_F_ACK);
	mnl_attr_put_u32(nlh, MGM_A_ANSWERS, answers);
	return transact(m, nlh, NULL, NULL, err, hold_kept);
}

struct register_reply {
	uint32_t handle;
	bool resync;
};

static int on_register_reply(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct register_reply *rr = ((struct mgm *)data)->reply_data;

	(void)mc;
	mgm_nl_parse(nlh, tb);
	if (tb[MGM_A_HANDLE])
		rr->handle = mnl_attr_get_u32(tb[MGM_A_HANDLE]);
	rr->resync = tb[MGM_A_RESYNC];
	return MNL_CB_OK;
}

int mgm_register(struct mgm *m, uint32_t protocol, uint32_t component,
		 const struct mgm_register_opts *opts,
		 const struct mgm_callbacks *cb, void *arg,
		 uint32_t *handle, bool *resync, struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct register_reply rr = { 0 };
	struct mgm_reg *regs;
	struct nlmsghdr *nlh;
	uint32_t answers;
	int ret;

	if (!cb)
		return local_error(err, EINVAL);
	regs = realloc(m->regs, (m->n_regs + 1) * sizeof(*regs));
	if (!regs)
		return local_error(err, ENOMEM);
	m->regs = regs;
	nlh = new_request(m, buf, MGM_CMD_REGISTER, 0, NLM_F_ACK);
	mnl_attr_put_u32(nlh, MGM_A_PROTOCOL_ID, protocol);
	mnl_attr_put_u32(nlh, MGM_A_COMPONENT_ID, component);
	if (opts && opts->hold_time)
		mnl_attr_put_u32(nlh, MGM_A_HOLD_TIME, opts->hold_time);
	ret = transact(m, nlh, on_register_reply, &rr, err, true);
	if (!ret && !rr.handle)
		ret = local_error(err, EPROTO);
	if (ret) {
		mgm_flush(m);
		return ret;
	}
	m->regs[m->n_regs++] = (struct mgm_reg){ rr.handle, cb, arg };

	/* the questions nobody answers take their defaults without asking */
	answers = opts ? opts->answers : 0;
	if (!cb->rpf)
		answers |= MGM_ANSWER_RPF;
	if (!cb->creation_alert)
		answers |= MGM_ANSWER_CREATION;
	if (!cb->prune_alert)
		answers |= MGM_ANSWER_PRUNE;
	/* a takeover brought the held registration's answers back: ours */
	if (answers || rr.resync) {
		/* nothing for the new handle is passed on before it is whole */
		ret = set_answers(m, rr.handle, answers, err, true);
		if (ret) {
			/*
			 * No half-made registration.  One taken over still
			 * owns its interfaces (EBUSY): then it stays, and the
			 * handle says which, for the caller to release.
			 */
			struct nlmsghdr *req;
			char buf[MNL_SOCKET_BUFFER_SIZE];

			/* no callback runs until the entry is back, or gone */
			m->n_regs--;
			req = new_request(m, buf, MGM_CMD_DEREGISTER, rr.handle,
					  NLM_F_ACK);
			if (!transact(m, req, NULL, NULL, NULL, true))
				rr.handle = 0;
			else
				m->n_regs++;
		}
	}
	if (handle)
		*handle = rr.handle;
	if (resync)
		*resync = rr.resync;
	mgm_flush(m);
	return ret;
}

int mgm_deregister(struct mgm *m, uint32_t handle, struct mgm_error *err)
{
	struct mgm_reg *r;
	int ret = simple(m, MGM_CMD_DEREGISTER, handle, err);

	r = find_reg(m, handle);
	if (!ret && r)
		*r = m->regs[--m->n_regs];
	return ret;
}

int mgm_resync_end(struct mgm *m, uint32_t handle, struct mgm_error *err)
{
	return simple(m, MGM_CMD_RESYNC_END, handle, err);
}

int mgm_set_answers(struct mgm *m, uint32_t handle, uint32_t answers,
		    struct mgm_error *err)
{
	return set_answers(m, handle, answers, err, false);
}

static int interface(struct mgm *m, uint8_t cmd, uint32_t handle,
		     const struct mgm_if *ifp, struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = new_request(m, buf, cmd, handle, NLM_F_ACK);

	mnl_attr_put_u32(nlh, MGM_A_IFINDEX, ifp->ifindex);
	mnl_attr_put_u32(nlh, MGM_A_NEXTHOP, ifp->nexthop);
	return transact(m, nlh, NULL, NULL, err, false);
}

int mgm_take(struct mgm *m, uint32_t handle, const struct mgm_if *ifp,
	     struct mgm_error *err)
{
	return interface(m, MGM_CMD_TAKE_INTERFACE, handle, ifp, err);
}

int mgm_release(struct mgm *m, uint32_t handle, const struct mgm_if *ifp,
		struct mgm_error *err)
{
	return interface(m, MGM_CMD_RELEASE_INTERFACE, handle, ifp, err);
}

static int membership(struct mgm *m, uint8_t cmd, uint32_t handle,
		      const struct mgm_sg *sg, const struct mgm_if *ifp,
		      uint32_t flags, struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = new_request(m, buf, cmd, handle, NLM_F_ACK);

	mnl_attr_put_u32(nlh, MGM_A_SOURCE, sg->source);
	mnl_attr_put_u32(nlh, MGM_A_GROUP, sg->group);
	mnl_attr_put_u32(nlh, MGM_A_IFINDEX, ifp->ifindex);
	mnl_attr_put_u32(nlh, MGM_A_NEXTHOP, ifp->nexthop);
	mnl_attr_put_u32(nlh, MGM_A_FLAGS, flags);
	return transact(m, nlh, NULL, NULL, err, false);
}

int mgm_add_membership(struct mgm *m, uint32_t handle,
		       const struct mgm_sg *sg, const struct mgm_if *ifp,
		       uint32_t flags, struct mgm_error *err)
{
	return membership(m, MGM_CMD_ADD_MEMBERSHIP, handle, sg, ifp, flags,
			  err);
}

int mgm_delete_membership(struct mgm *m, uint32_t handle,
			  const struct mgm_sg *sg, const struct mgm_if *ifp,
			  uint32_t flags, struct mgm_error *err)
{
	return membership(m, MGM_CMD_DELETE_MEMBERSHIP, handle, sg, ifp,
			  flags, err);
}

static int queue_answer(struct mgm *m, const struct nlmsghdr *nlh)
{
	int ret;

	if (m->flushing)
		return -EBUSY;
	/* a full batch goes first, as any flush: not while a request reads */
	if (NLMSG_ALIGN(nlh->nlmsg_len) + m->answers.len >
	    sizeof(m->answers.buf)) {
		if (m->busy)
			return -EBUSY;
		ret = flush_answers(m);
		if (ret)
			return ret;
	}
	return mgm_batch_add(&m->answers, nlh);
}

int mgm_answer_rpf(struct mgm *m, uint32_t handle, uint64_t cookie,
		   const struct mgm_if *iif, uint32_t upstream)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = new_request(m, buf, MGM_CMD_RPF_REPLY, handle,
					   0);

	mnl_attr_put_u64(nlh, MGM_A_COOKIE, cookie);
	mnl_attr_put_u32(nlh, MGM_A_IIF, iif->ifindex);
	mnl_attr_put_u32(nlh, MGM_A_IIF_NEXTHOP, iif->nexthop);
	mnl_attr_put_u32(nlh, MGM_A_UPSTREAM, upstream);
	return queue_answer(m, nlh);
}

/* a creation reply's bytes, with a disabled oif per candidate at most */
#define MGM_CREATION_REPLY_BYTES \
	(MNL_NLMSG_HDRLEN + MNL_ALIGN(GENL_HDRLEN) + 64 + \
	 MGM_REPLY_OIFS_MAX * (MNL_ATTR_HDRLEN * 4 + 2 * sizeof(uint32_t)))

int mgm_answer_creation(struct mgm *m, uint32_t handle, uint64_t cookie,
			unsigned int n_disabled,
			const struct mgm_if *disabled)
{
	size_t size = MGM_CREATION_REPLY_BYTES;
	struct nlmsghdr *nlh;
	struct nlattr *nest;
	unsigned int i;
	char *buf;
	int ret;

	if (n_disabled > MGM_REPLY_OIFS_MAX)
		return -EINVAL;
	buf = malloc(size);
	if (!buf)
		return -ENOMEM;
	nlh = new_request(m, buf, MGM_CMD_CREATION_REPLY, handle, 0);
	mnl_attr_put_u64(nlh, MGM_A_COOKIE, cookie);
	for (i = 0; i < n_disabled; i++) {
		nest = mnl_attr_nest_start(nlh, MGM_A_OIF);
		mnl_attr_put_u32(nlh, MGM_OIF_A_IFINDEX, disabled[i].ifindex);
		mnl_attr_put_u32(nlh, MGM_OIF_A_NEXTHOP, disabled[i].nexthop);
		mnl_attr_put(nlh, MGM_OIF_A_DISABLED, 0, NULL);
		mnl_attr_nest_end(nlh, nest);
	}
	ret = nlh->nlmsg_len > size ? -EMSGSIZE : queue_answer(m, nlh);
	free(buf);
	return ret;
}

int mgm_answer_prune(struct mgm *m, uint32_t handle, uint64_t cookie,
		     uint32_t timeout)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct nlmsghdr *nlh = new_request(m, buf, MGM_CMD_PRUNE_REPLY, handle,
					   0);

	mnl_attr_put_u64(nlh, MGM_A_COOKIE, cookie);
	mnl_attr_put_u32(nlh, MGM_A_TIMEOUT, timeout);
	return queue_answer(m, nlh);
}

/* A dump: @entry for each reply until one returns nonzero. */
struct walk {
	int (*entry)(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     struct walk *w);
	union {
		int (*mfe)(const struct mgm_mfe *e, void *arg);
		int (*group)(const struct mgm_sg *sg, void *arg);
		int (*membership)(const struct mgm_sg *sg,
				  const struct mgm_if *ifp, bool stale,
				  void *arg);
	} fn;
	void *arg;
	int ret;
};

static int on_dump_reply(const struct nlmsghdr *nlh, bool mc, void *data)
{
	const struct nlattr *tb[MGM_A_MAX + 1];
	struct walk *w = ((struct mgm *)data)->reply_data;

	(void)mc;
	/* the rest of a stopped walk is read, not passed on */
	if (!w->ret) {
		mgm_nl_parse(nlh, tb);
		w->ret = w->entry(nlh, tb, w);
	}
	return MNL_CB_OK;
}

static int walk(struct mgm *m, struct nlmsghdr *req, struct walk *w,
		struct mgm_error *err)
{
	int ret = transact(m, req, on_dump_reply, w, err, false);

	return ret ? ret : w->ret;
}

static int mfe_entry(const struct nlmsghdr *nlh, const struct nlattr **tb,
		     struct walk *w)
{
	struct mgm_mfe e = {
		.sg = get_sg(tb),
		.iif = { get_u32(tb, MGM_A_IIF), get_u32(tb, MGM_A_IIF_NEXTHOP) },
		.iif_protocol = get_u32(tb, MGM_A_IIF_PROTOCOL),
		.upstream = get_u32(tb, MGM_A_UPSTREAM),
		.route_prefix = get_u32(tb, MGM_A_ROUTE_PREFIX),
		.uptime = get_u32(tb, MGM_A_UPTIME),
		.expiry = get_u32(tb, MGM_A_EXPIRY),
		.timeout = get_u32(tb, MGM_A_TIMEOUT),
		.has_stats = tb[MGM_A_PKTS] && tb[MGM_A_BYTES],
	};
	struct mgm_oif *oifs;
	int ret;

	if (tb[MGM_A_ROUTE_PREFIX_LEN])
		e.route_prefix_len = mnl_attr_get_u8(tb[MGM_A_ROUTE_PREFIX_LEN]);
	if (tb[MGM_A_ROUTE_PROTOCOL])
		e.route_protocol = mnl_attr_get_u8(tb[MGM_A_ROUTE_PROTOCOL]);
	if (e.has_stats) {
		e.pkts = mnl_attr_get_u64(tb[MGM_A_PKTS]);
		e.bytes = mnl_attr_get_u64(tb[MGM_A_BYTES]);
		e.wrong_if = tb[MGM_A_WRONG_IF] ?
			     mnl_attr_get_u64(tb[MGM_A_WRONG_IF]) : 0;
	}
	oifs = get_oifs(nlh, &e.n_oifs);
	e.oifs = oifs;
	ret = w->fn.mfe(&e, w->arg);
	free(oifs);
	return ret;
}

int mgm_each_mfe(struct mgm *m, bool stats,
		 int (*fn)(const struct mgm_mfe *e, void *arg), void *arg,
		 struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct walk w = { .entry = mfe_entry, .fn.mfe = fn, .arg = arg };
	struct nlmsghdr *nlh = new_request(m, buf, MGM_CMD_GET_MFE, 0,
					   NLM_F_DUMP);

	if (stats)
		mnl_attr_put(nlh, MGM_A_STATS, 0, NULL);
	return walk(m, nlh, &w, err);
}

static int group_entry(const struct nlmsghdr *nlh, const struct nlattr **tb,
		       struct walk *w)
{
	struct mgm_sg sg = get_sg(tb);

	(void)nlh;
	return w->fn.group(&sg, w->arg);
}

int mgm_each_group(struct mgm *m, bool all_sources,
		   int (*fn)(const struct mgm_sg *sg, void *arg), void *arg,
		   struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct walk w = { .entry = group_entry, .fn.group = fn, .arg = arg };
	struct nlmsghdr *nlh = new_request(m, buf, MGM_CMD_GET_GROUP, 0,
					   NLM_F_DUMP);

	mnl_attr_put_u32(nlh, MGM_A_ENUM_TYPE, all_sources ?
			 MGM_ENUM_ALL_SOURCES : MGM_ENUM_ANY_SOURCE);
	return walk(m, nlh, &w, err);
}

static int membership_entry(const struct nlmsghdr *nlh,
			    const struct nlattr **tb, struct walk *w)
{
	struct mgm_sg sg = get_sg(tb);
	struct mgm_if ifp = get_if(tb);

	(void)nlh;
	return w->fn.membership(&sg, &ifp, tb[MGM_A_STALE], w->arg);
}

int mgm_each_membership(struct mgm *m, uint32_t handle,
			int (*fn)(const struct mgm_sg *sg,
				  const struct mgm_if *ifp, bool stale,
				  void *arg),
			void *arg, struct mgm_error *err)
{
	char buf[MNL_SOCKET_BUFFER_SIZE];
	struct walk w = {
		.entry = membership_entry, .fn.membership = fn, .arg = arg
	};

	return walk(m, new_request(m, buf, MGM_CMD_GET_MEMBERSHIP, handle,
				   NLM_F_DUMP), &w, err);
}
