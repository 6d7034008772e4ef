#include <stdio.h>

#include "k8scheck/cli.h"

int main(int argc, char **argv)
{
	return kc_cli_run(argc, argv, stdin, stdout, stderr);
}
