// SPDX-License-Identifier: GPL-2.0
/*
 * PID 1 of the UML test kernels and of the qemu guests (built with gcc
 * -static by tools/uml/check.sh).
 *
 * The root file system is the machine's own, mounted read-only through
 * hostfs (UML) or virtio-9p (qemu, by tools/qemu/init.sh before this).
 * This gives the guest its own /proc, /sys, /dev, /run and /tmp, mounts
 * the host directories $MGM_REPO read-only and $MGM_RW (the run's results)
 * writable on the same paths (so they stay visible when they lie under
 * /tmp), runs the shell script $MGM_SCRIPT and powers off.  The variables
 * come from the kernel command line: the kernel hands unknown key=value
 * arguments to init as environment variables.  MGM_FS=9p: the two host
 * directories are the 9p shares "repo" and "rw", not hostfs paths.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/reboot.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

static void do_mount(const char *src, const char *dst, const char *type,
		     unsigned long flags, const char *data)
{
	if (mount(src, dst, type, flags, data))
		printf("mgm-init: mount %s on %s: %s\n", type, dst,
		       strerror(errno));
}

/*
 * Mounts the host directory @path on the same path in the guest.  The
 * mkdir()s make the mount point when it lies in a guest tmpfs (/tmp); on
 * the read-only root they fail, the directories being there already.
 */
static void host_dir(const char *path, const char *tag, unsigned long flags)
{
	const char *fs = getenv("MGM_FS");
	char dir[4096];
	char *p;

	if (!path)
		return;
	snprintf(dir, sizeof(dir), "%s", path);
	for (p = strchr(dir + 1, '/'); p; p = strchr(p + 1, '/')) {
		*p = '\0';
		mkdir(dir, 0755);
		*p = '/';
	}
	mkdir(dir, 0755);
	if (fs && !strcmp(fs, "9p"))
		do_mount(tag, path, "9p", flags,
			 "trans=virtio,version=9p2000.L,msize=262144");
	else
		do_mount("none", path, "hostfs", flags, path);
}

static int run_script(const char *script)
{
	pid_t child, pid;
	int status;

	child = fork();
	if (child < 0) {
		printf("mgm-init: fork: %s\n", strerror(errno));
		return -1;
	}
	if (child == 0) {
		execl("/bin/bash", "bash", script, (char *)NULL);
		printf("mgm-init: exec /bin/bash %s: %s\n", script,
		       strerror(errno));
		_exit(127);
	}
	/* As PID 1, reap every orphan until the script itself is done. */
	for (;;) {
		pid = wait(&status);
		if (pid == child)
			return status;
		if (pid < 0 && errno != EINTR)
			return -1;
	}
}

int main(void)
{
	const char *script = getenv("MGM_SCRIPT");
	int status = -1;

	setvbuf(stdout, NULL, _IOLBF, 0);
	setenv("PATH", "/usr/local/sbin:/usr/local/bin:/usr/sbin:/usr/bin:/sbin:/bin", 1);

	do_mount("proc", "/proc", "proc", 0, NULL);
	do_mount("sysfs", "/sys", "sysfs", 0, NULL);
	do_mount("debugfs", "/sys/kernel/debug", "debugfs", 0, NULL);
	do_mount("devtmpfs", "/dev", "devtmpfs", 0, NULL);
	/* what udev would add, for bash's process substitution <(...) */
	symlink("/proc/self/fd", "/dev/fd");
	symlink("/proc/self/fd/0", "/dev/stdin");
	symlink("/proc/self/fd/1", "/dev/stdout");
	symlink("/proc/self/fd/2", "/dev/stderr");
	do_mount("tmpfs", "/run", "tmpfs", 0, "mode=0755");
	do_mount("tmpfs", "/tmp", "tmpfs", 0, "mode=1777");
	host_dir(getenv("MGM_REPO"), "repo", MS_RDONLY);
	host_dir(getenv("MGM_RW"), "rw", 0);

	if (script)
		status = run_script(script);
	else
		printf("mgm-init: MGM_SCRIPT not set on the kernel command line\n");

	printf("mgm-init: script exit status %d, power off\n",
	       WIFEXITED(status) ? WEXITSTATUS(status) : -1);
	sync();
	reboot(RB_POWER_OFF);
	return 0;
}
