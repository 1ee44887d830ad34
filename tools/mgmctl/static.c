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

/* Send @cmd to the daemon at @path; its reply in *@reply (malloc'd). */
static int ask(const char *path, const char *cmd, char **reply)
{
	struct sockaddr_un sun = { .sun_family = AF_UNIX };
	size_t cap = 1 << 16;
	ssize_t n;
	int fd;

	if (strlen(path) >= sizeof(sun.sun_path))
		return -ENAMETOOLONG;
	memcpy(sun.sun_path, path, strlen(path));
	*reply = malloc(cap + 1);
	fd = socket(AF_UNIX, SOCK_SEQPACKET | SOCK_CLOEXEC, 0);
	n = -1;
	if (*reply && fd >= 0 &&
	    !connect(fd, (struct sockaddr *)&sun, sizeof(sun)) &&
	    send(fd, cmd, strlen(cmd), 0) >= 0)
		n = recv(fd, *reply, cap, 0);
	if (n < 0) {
		n = -errno;
		free(*reply);
		*reply = NULL;
	} else {
		(*reply)[n] = '\0';
		n = 0;
	}
	if (fd >= 0)
		close(fd);
	return n;
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
	if (!strncmp(reply, "ok", 2)) {
		fputs(body, stdout);
		ret = 0;
	} else {
		fprintf(stderr, "Error: %.*s\n",
			(int)strcspn(reply + 7, "\n"), reply + 7);
		ret = EXIT_ERROR;
	}
	free(reply);
	return ret;
}
