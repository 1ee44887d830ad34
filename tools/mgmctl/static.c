// SPDX-License-Identifier: GPL-2.0
/*
 * mgmctl static: mgm-staticd's configuration in force, shown and changed
 * through its control socket (mgm-staticd(8), "RUNTIME CONTROL").  One
 * command a connection; the daemon answers "ok" and what was asked for,
 * or "error: WHY", which is printed as iproute2 prints its errors.
 */
#define _GNU_SOURCE
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <sys/un.h>
#include <unistd.h>

#include "mgmctl.h"

#define STATIC_SOCKET	"/run/mgm-staticd.sock"

/*
 * Send @cmd to the daemon at @path; its reply in *@reply (malloc'd), read
 * to the end: a long one comes in several messages.
 */
static int ask(const char *path, const char *cmd, char **reply)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t len = 0, cap = 1 << 16;
	char *buf = malloc(cap + 1), *grown;
	ssize_t n = -1;
	int fd;

	*reply = NULL;
	if (strlen(path) >= sizeof(sun.sun_path)) {
		free(buf);
		return -ENAMETOOLONG;
	}
	memcpy(sun.sun_path, path, strlen(path));
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	if (buf && fd >= 0 &&
	    !connect(fd, (struct sockaddr *)&sun, sizeof(sun)) &&
	    send(fd, cmd, strlen(cmd), 0) >= 0) {
		while ((n = recv(fd, buf + len, cap - len, 0)) > 0) {
			len += n;
			if (cap - len >= 1 << 15)
				continue;
			grown = realloc(buf, 2 * cap + 1);
			if (!grown) {
				errno = ENOMEM;
				n = -1;
				break;
			}
			buf = grown;
			cap *= 2;
		}
	}
	n = n < 0 ? -errno : 0;
	if (fd >= 0)
		close(fd);
	if (n) {
		free(buf);
		return n;
	}
	buf[len] = '\0';
	*reply = buf;
	return 0;
}

int do_static(int argc, char **argv)
{
	const char *path = STATIC_SOCKET, *verb;
	char cmd[1024], *reply, *body;
	size_t len;
	int i, ret;

	if (argc >= 2 && matches(argv[0], "socket")) {
		path = argv[1];
		argc -= 2;
		argv += 2;
	}
	if (!argc)
		return usage_error("missing command after", "static");
	if (matches(argv[0], "show") && argc == 1) {
		verb = json ? "show json" : "show";
	} else if (matches(argv[0], "reload") && argc == 1) {
		verb = "reload";
	} else if ((matches(argv[0], "add") || matches(argv[0], "delete")) &&
		   argc >= 2) {
		verb = matches(argv[0], "add") ? "add" : "del";
	} else {
		return usage_error("bad static command", argv[0]);
	}
	len = snprintf(cmd, sizeof(cmd), "%s", verb);
	for (i = 1; i < argc && len < sizeof(cmd); i++)
		len += snprintf(cmd + len, sizeof(cmd) - len, " %s", argv[i]);
	if (len >= sizeof(cmd))
		return usage_error("statement too long", argv[1]);

	ret = ask(path, cmd, &reply);
	if (ret) {
		fprintf(stderr, "mgmctl: static: %s: %s (is mgm-staticd running?)\n",
			path, strerror(-ret));
		return EXIT_ERROR;
	}
	body = reply + strcspn(reply, "\n");
	if (*body)
		body++;
	if (!strncmp(reply, "ok\n", 3)) {
		fputs(body, stdout);
		ret = 0;
	} else if (!strncmp(reply, "error: ", 7)) {
		fprintf(stderr, "Error: %.*s\n",
			(int)strcspn(reply + 7, "\n"), reply + 7);
		ret = EXIT_ERROR;
	} else {
		fprintf(stderr, "mgmctl: static: %s: %s\n", path,
			*reply ? "a reply that is not mgm-staticd's" :
			"no reply (the command was too long?)");
		ret = EXIT_ERROR;
	}
	free(reply);
	return ret;
}
