/*
 * kc-bench-time RUNS COMMAND [ARG]...: run COMMAND RUNS times with its
 * standard output sent to /dev/null, and print one line:
 *
 *   best_ms=W median_ms=W cpu_ms=C maxrss_kb=K rc=S
 *
 * W is wall-clock time (CLOCK_MONOTONIC), C the user+system time of the
 * fastest run, K the largest peak resident set of any run (getrusage of
 * the children: what /usr/bin/time -f %M reports) and S the last exit
 * status.
 */
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <sys/time.h>
#include <sys/types.h>
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>

static double now_ms(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec * 1e3 + (double)ts.tv_nsec / 1e6;
}

static double tv_ms(struct timeval tv)
{
	return (double)tv.tv_sec * 1e3 + (double)tv.tv_usec / 1e3;
}

static int dbl_cmp(const void *a, const void *b)
{
	double x = *(const double *)a, y = *(const double *)b;
	return x < y ? -1 : x > y;
}

int main(int argc, char **argv)
{
	if (argc < 3 || atoi(argv[1]) < 1) {
		fputs("usage: kc-bench-time RUNS COMMAND [ARG]...\n", stderr);
		return 3;
	}
	int runs = atoi(argv[1]);
	double *wall = calloc((size_t)runs, sizeof(*wall));
	if (wall == NULL) {
		return 4;
	}
	double best_cpu = 0, cpu_before = 0;
	long maxrss = 0;
	int rc = 0;
	for (int i = 0; i < runs; i++) {
		double t0 = now_ms();
		pid_t pid = fork();
		if (pid < 0) {
			perror("kc-bench-time: fork");
			return 4;
		}
		if (pid == 0) {
			int fd = open("/dev/null", O_WRONLY);
			if (fd >= 0) {
				dup2(fd, 1);
				close(fd);
			}
			execvp(argv[2], argv + 2);
			perror("kc-bench-time: exec");
			_exit(127);
		}
		int status;
		if (waitpid(pid, &status, 0) != pid) {
			perror("kc-bench-time: waitpid");
			return 4;
		}
		wall[i] = now_ms() - t0;
		/* Children's times add up over runs; ru_maxrss is their maximum. */
		struct rusage ru;
		getrusage(RUSAGE_CHILDREN, &ru);
		double total = tv_ms(ru.ru_utime) + tv_ms(ru.ru_stime);
		double cpu = total - cpu_before;
		cpu_before = total;
		if (i == 0 || cpu < best_cpu) {
			best_cpu = cpu;
		}
		if (ru.ru_maxrss > maxrss) {
			maxrss = ru.ru_maxrss;
		}
		rc = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
	}
	qsort(wall, (size_t)runs, sizeof(*wall), dbl_cmp);
	printf("best_ms=%.3f median_ms=%.3f cpu_ms=%.3f maxrss_kb=%ld rc=%d\n",
		wall[0], wall[runs / 2], best_cpu, maxrss, rc);
	free(wall);
	return 0;
}
