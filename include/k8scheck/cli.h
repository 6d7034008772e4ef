#ifndef K8SCHECK_CLI_H
#define K8SCHECK_CLI_H

/*
 * The command line: argv -> options -> a run over the inputs, and the exit
 * status. The whole program is kc_cli_run(), so tests drive it in-process
 * with memory streams.
 */

#include <stdio.h>

/** Exit statuses, documented in --help. When several apply, the highest wins. */
enum kc_exit {
	KC_EXIT_OK = 0,          /* checked, no findings */
	KC_EXIT_FINDINGS = 1,    /* findings */
	KC_EXIT_INPUT = 2,       /* some input could not be read or parsed */
	KC_EXIT_USAGE = 3,       /* bad command line */
	KC_EXIT_INTERNAL = 4,    /* a bug or out of memory */
};

/**
 * Run k8scheck with argv (argv[0] is the program name). Reads standard
 * input from in when asked to ('-'), writes the report to out and
 * diagnostics to err (all borrowed). Returns an enum kc_exit value.
 */
int kc_cli_run(int argc, char **argv, FILE *in, FILE *out, FILE *err);

#endif
