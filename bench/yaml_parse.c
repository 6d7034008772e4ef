/*
 * kc-bench-yaml PATH...: the baseline for bench/run. Reads the same files
 * k8scheck would, in the same order (directories recursively, names sorted
 * with strcmp, hidden entries skipped, *.yaml, *.yml and *.json only), each
 * whole into memory as k8scheck does, and runs a bare libyaml event parse
 * over it: yaml_parser_parse() until STREAM-END, nothing else.
 *
 * Prints one line: files=N documents=N events=N bytes=N errors=N
 */
#include <dirent.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

struct totals {
	unsigned long files;
	unsigned long documents;
	unsigned long events;
	unsigned long long bytes;
	unsigned long errors;
};

static void oom(void)
{
	fputs("kc-bench-yaml: out of memory\n", stderr);
	exit(4);
}

static char *read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (f == NULL) {
		return NULL;
	}
	size_t cap = 64 * 1024, n = 0;
	char *buf = malloc(cap);
	if (buf == NULL) {
		oom();
	}
	for (;;) {
		if (n == cap) {
			cap *= 2;
			char *nb = realloc(buf, cap);
			if (nb == NULL) {
				oom();
			}
			buf = nb;
		}
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (got == 0) {
			break;
		}
	}
	fclose(f);
	*len = n;
	return buf;
}

static void parse_file(struct totals *t, const char *path)
{
	size_t len;
	char *buf = read_file(path, &len);
	if (buf == NULL) {
		t->errors++;
		return;
	}
	t->files++;
	t->bytes += len;
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_string(&p, (const unsigned char *)buf, len);
	yaml_parser_set_encoding(&p, YAML_UTF8_ENCODING);
	for (;;) {
		yaml_event_t e;
		if (!yaml_parser_parse(&p, &e)) {
			t->errors++;
			break;
		}
		t->events++;
		bool end = e.type == YAML_STREAM_END_EVENT;
		if (e.type == YAML_DOCUMENT_START_EVENT) {
			t->documents++;
		}
		yaml_event_delete(&e);
		if (end) {
			break;
		}
	}
	yaml_parser_delete(&p);
	free(buf);
}

static bool is_manifest_name(const char *name)
{
	const char *dot = strrchr(name, '.');
	return dot != NULL && (strcmp(dot, ".yaml") == 0 || strcmp(dot, ".yml") == 0 ||
		strcmp(dot, ".json") == 0);
}

static int name_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void walk(struct totals *t, const char *path)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		t->errors++;
		return;
	}
	if (!S_ISDIR(st.st_mode)) {
		parse_file(t, path);
		return;
	}
	DIR *d = opendir(path);
	if (d == NULL) {
		t->errors++;
		return;
	}
	char **names = NULL;
	size_t n = 0, cap = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.') {
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 32;
			names = realloc(names, cap * sizeof(*names));
			if (names == NULL) {
				oom();
			}
		}
		names[n] = strdup(e->d_name);
		if (names[n] == NULL) {
			oom();
		}
		n++;
	}
	closedir(d);
	qsort(names, n, sizeof(*names), name_cmp);
	for (size_t i = 0; i < n; i++) {
		size_t len = strlen(path) + 1 + strlen(names[i]) + 1;
		char *child = malloc(len);
		if (child == NULL) {
			oom();
		}
		snprintf(child, len, "%s/%s", path, names[i]);
		struct stat cs;
		if (stat(child, &cs) == 0 && (S_ISDIR(cs.st_mode) ||
			(S_ISREG(cs.st_mode) && is_manifest_name(names[i])))) {
			walk(t, child);
		}
		free(child);
		free(names[i]);
	}
	free(names);
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		fputs("usage: kc-bench-yaml PATH...\n", stderr);
		return 3;
	}
	struct totals t = { 0 };
	for (int i = 1; i < argc; i++) {
		walk(&t, argv[i]);
	}
	printf("files=%lu documents=%lu events=%lu bytes=%llu errors=%lu\n",
		t.files, t.documents, t.events, t.bytes, t.errors);
	return t.errors ? 2 : 0;
}
