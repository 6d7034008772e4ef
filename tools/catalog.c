/*
 * Build-time tool: the rule registry and catalog from policies/rules/<id>.yaml.
 *
 *   kc-catalog header OUT.h DEPFILE CATALOG_DIR
 *   kc-catalog source OUT.c DEPFILE CATALOG_DIR SRC_DIR [BUILT.c ...]
 *
 * "header" writes the check functions' prototypes (included by
 * include/k8scheck/rule.h); "source" writes the registries (kc_rules[] for
 * Kubernetes workloads, kc_dockerfile_rules[] for Dockerfiles) and the
 * catalog kc_rule_catalog[] as C data, so nothing is parsed at start-up.
 *
 * Each <id>.yaml is one mapping: id (its file name), title, severity
 * (info, warning, error), description, remediation, example, optional
 * references (a list), default (true or false, default true), input
 * (kubernetes or dockerfile, default kubernetes) and function (the check's
 * C name, default kc_rules_<id with - as _>, implemented in
 * SRC_DIR/<id with - as _>.c, which must be one of BUILT: the sources meson
 * compiles). Mistakes are reported as file:line:col: error: ... and the
 * tool exits 1. DEPFILE lists every file read and both directories, so a
 * rule added or removed regenerates the output.
 */
#define _POSIX_C_SOURCE 200809L  /* a native tool: no project arguments */

#include <dirent.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <yaml.h>

enum input { INPUT_KUBERNETES, INPUT_DOCKERFILE };

struct rule {
	char *file;              /* CATALOG_DIR/<id>.yaml */
	char *id, *title, *severity, *description, *remediation, *example;
	char *security_severity;     /* GitHub's 0.1-10.0 scale, or NULL */
	char *function;
	char **refs;
	size_t ref_count;
	bool default_on;
	enum input input;
};

static int errors;

static void error_at(const char *file, const yaml_mark_t *m, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

static void error_at(const char *file, const yaml_mark_t *m, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	if (m != NULL) {
		fprintf(stderr, "%s:%zu:%zu: error: ", file, m->line + 1, m->column + 1);
	} else {
		fprintf(stderr, "%s: error: ", file);
	}
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	errors++;
}

static void *xmalloc(size_t n)
{
	void *p = malloc(n ? n : 1);
	if (p == NULL) {
		fprintf(stderr, "kc-catalog: out of memory\n");
		exit(1);
	}
	return p;
}

static char *xstrdup(const char *s)
{
	size_t n = strlen(s) + 1;
	return memcpy(xmalloc(n), s, n);
}

static char *path_join(const char *dir, const char *name)
{
	char *p = xmalloc(strlen(dir) + strlen(name) + 2);
	sprintf(p, "%s/%s", dir, name);
	return p;
}

/* The next event; false (reported) on a syntax error. */
static bool next(yaml_parser_t *p, yaml_event_t *ev, const char *file)
{
	if (!yaml_parser_parse(p, ev)) {
		error_at(file, &p->problem_mark, "%s", p->problem ? p->problem : "bad YAML");
		return false;
	}
	return true;
}

static const char *const string_keys[] = {
	"id", "title", "severity", "description", "remediation", "example",
	"function", "security-severity", "default", "input",
};

static char **string_slot(struct rule *r, const char *key)
{
	char **slots[] = { &r->id, &r->title, &r->severity, &r->description,
		&r->remediation, &r->example, &r->function, &r->security_severity };
	for (size_t i = 0; i < sizeof(slots) / sizeof(slots[0]); i++) {
		if (strcmp(key, string_keys[i]) == 0) {
			return slots[i];
		}
	}
	return NULL;
}

/* A scalar value of key into r (the event is the value). */
static void scalar_value(struct rule *r, const char *key, const yaml_event_t *ev)
{
	const char *v = (const char *)ev->data.scalar.value;
	char **slot = string_slot(r, key);
	if (slot != NULL) {
		free(*slot);
		*slot = xstrdup(v);
	} else if (strcmp(key, "default") == 0) {
		if (strcmp(v, "true") == 0 || strcmp(v, "false") == 0) {
			r->default_on = v[0] == 't';
		} else {
			error_at(r->file, &ev->start_mark, "default: '%s' is not true or false", v);
		}
	} else if (strcmp(key, "input") == 0) {
		if (strcmp(v, "kubernetes") == 0) {
			r->input = INPUT_KUBERNETES;
		} else if (strcmp(v, "dockerfile") == 0) {
			r->input = INPUT_DOCKERFILE;
		} else {
			error_at(r->file, &ev->start_mark,
				"input: '%s' is not kubernetes or dockerfile", v);
		}
	} else {
		error_at(r->file, &ev->start_mark, "'%s' must be a list", key);
	}
}

static bool known_key(const char *key)
{
	for (size_t i = 0; i < sizeof(string_keys) / sizeof(string_keys[0]); i++) {
		if (strcmp(key, string_keys[i]) == 0) {
			return true;
		}
	}
	return strcmp(key, "references") == 0;
}

/* Parse one catalog file into r; false (reported) if it is not usable. */
static bool parse_rule(struct rule *r, FILE *in)
{
	yaml_parser_t p;
	yaml_parser_initialize(&p);
	yaml_parser_set_input_file(&p, in);
	yaml_event_t ev;
	int before = errors;
	bool ok = true;
	/* stream start, document start, mapping start */
	for (int i = 0; i < 3 && ok; i++) {
		ok = next(&p, &ev, r->file);
		if (ok && i == 2 && ev.type != YAML_MAPPING_START_EVENT) {
			error_at(r->file, &ev.start_mark, "a rule is a mapping");
			ok = false;
		}
		if (ok) {
			yaml_event_delete(&ev);
		}
	}
	while (ok) {
		if (!next(&p, &ev, r->file)) {
			ok = false;
			break;
		}
		if (ev.type == YAML_MAPPING_END_EVENT) {
			yaml_event_delete(&ev);
			break;
		}
		if (ev.type != YAML_SCALAR_EVENT) {
			error_at(r->file, &ev.start_mark, "keys are plain words");
			yaml_event_delete(&ev);
			ok = false;
			break;
		}
		char *key = xstrdup((const char *)ev.data.scalar.value);
		yaml_mark_t key_mark = ev.start_mark;
		yaml_event_delete(&ev);
		if (!known_key(key)) {
			error_at(r->file, &key_mark, "unknown key '%s' (valid: id, title, "
				"severity, description, remediation, example, references, "
				"default, input, function, security-severity)", key);
		}
		if (!next(&p, &ev, r->file)) {
			free(key);
			ok = false;
			break;
		}
		if (ev.type == YAML_SCALAR_EVENT) {
			if (known_key(key)) {
				scalar_value(r, key, &ev);
			}
			yaml_event_delete(&ev);
		} else if (ev.type == YAML_SEQUENCE_START_EVENT &&
			strcmp(key, "references") == 0) {
			yaml_event_delete(&ev);
			for (;;) {
				if (!next(&p, &ev, r->file)) {
					ok = false;
					break;
				}
				if (ev.type == YAML_SEQUENCE_END_EVENT) {
					yaml_event_delete(&ev);
					break;
				}
				if (ev.type != YAML_SCALAR_EVENT) {
					error_at(r->file, &ev.start_mark, "a reference is a string");
					yaml_event_delete(&ev);
					ok = false;
					break;
				}
				r->refs = realloc(r->refs, (r->ref_count + 1) * sizeof(*r->refs));
				if (r->refs == NULL) {
					fprintf(stderr, "kc-catalog: out of memory\n");
					exit(1);
				}
				r->refs[r->ref_count++] = xstrdup((const char *)ev.data.scalar.value);
				yaml_event_delete(&ev);
			}
		} else {
			error_at(r->file, &ev.start_mark, "'%s' must be %s", key,
				strcmp(key, "references") == 0 ? "a list of strings" : "a string");
			yaml_event_delete(&ev);
			ok = false;
		}
		free(key);
	}
	yaml_parser_delete(&p);
	if (!ok) {
		return false;
	}
	const char *required[] = { "id", "title", "severity", "description",
		"remediation", "example" };
	for (size_t i = 0; i < sizeof(required) / sizeof(required[0]); i++) {
		char **slot = string_slot(r, required[i]);
		if (*slot == NULL || **slot == '\0') {
			error_at(r->file, NULL, "missing '%s'", required[i]);
		}
	}
	if (errors != before) {
		return false;
	}
	/* GitHub code scanning reads "D.D" from 0.1 to 10.0. */
	const char *ss = r->security_severity;
	if (ss != NULL && strcmp(ss, "10.0") != 0 && !(strlen(ss) == 3 &&
		ss[0] >= '0' && ss[0] <= '9' && ss[1] == '.' && ss[2] >= '0' && ss[2] <= '9' &&
		!(ss[0] == '0' && ss[2] == '0'))) {
		error_at(r->file, NULL, "security-severity '%s' is not a number from 0.1 "
			"to 10.0", ss);
	}
	if (strcmp(r->severity, "info") != 0 && strcmp(r->severity, "warning") != 0 &&
		strcmp(r->severity, "error") != 0) {
		error_at(r->file, NULL, "severity '%s' is not info, warning or error",
			r->severity);
	}
	const char *base = strrchr(r->file, '/');
	base = base ? base + 1 : r->file;
	size_t n = strlen(r->id);
	if (strncmp(base, r->id, n) != 0 || strcmp(base + n, ".yaml") != 0) {
		error_at(r->file, NULL, "id '%s' is not the file's name", r->id);
	}
	if (strspn(r->id, "abcdefghijklmnopqrstuvwxyz0123456789-") != n || n == 0 ||
		r->id[0] == '-') {
		error_at(r->file, NULL, "id '%s' is not kebab-case", r->id);
	}
	if (r->function != NULL &&
		(strncmp(r->function, "kc_rules_", 9) != 0 || r->function[9] == '\0' ||
		strspn(r->function, "abcdefghijklmnopqrstuvwxyz0123456789_") !=
			strlen(r->function))) {
		error_at(r->file, NULL, "function '%s' is not kc_rules_<name>", r->function);
	}
	return errors == before;
}

/* "run-as-user" -> "run_as_user" (a new string). */
static char *snake(const char *id)
{
	char *s = xstrdup(id);
	for (char *c = s; *c; c++) {
		if (*c == '-') {
			*c = '_';
		}
	}
	return s;
}

static int rule_cmp(const void *a, const void *b)
{
	return strcmp(((const struct rule *)a)->id, ((const struct rule *)b)->id);
}

static int str_cmp(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

/* The *.yaml files of dir, sorted, as a NULL-terminated array. */
static char **list_yaml(const char *dir, size_t *count)
{
	DIR *d = opendir(dir);
	if (d == NULL) {
		perror(dir);
		exit(1);
	}
	char **names = NULL;
	size_t n = 0;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		size_t len = strlen(e->d_name);
		if (len > 5 && e->d_name[0] != '.' &&
			strcmp(e->d_name + len - 5, ".yaml") == 0) {
			names = realloc(names, (n + 1) * sizeof(*names));
			if (names == NULL) {
				exit(1);
			}
			names[n++] = path_join(dir, e->d_name);
		}
	}
	closedir(d);
	if (n > 0) {
		qsort(names, n, sizeof(*names), str_cmp);
	}
	*count = n;
	return names;
}

/* s as the body of a C string literal, split after each newline. */
static void c_string(FILE *out, const char *s)
{
	fputc('"', out);
	bool question = false;
	for (const unsigned char *c = (const unsigned char *)s; *c; c++) {
		switch (*c) {
		case '"':
			fputs("\\\"", out);
			break;
		case '\\':
			fputs("\\\\", out);
			break;
		case '\n':
			fputs(c[1] ? "\\n\"\n\t\t\"" : "\\n", out);
			break;
		case '?':
			/* no trigraphs (??=, ??/ ...) under -std=c11 */
			fputs(question ? "\\?" : "?", out);
			break;
		default:
			if (*c < 0x20 || *c >= 0x7f) {
				fprintf(out, "\\%03o", *c);
			} else {
				fputc(*c, out);
			}
		}
		question = *c == '?';
	}
	fputc('"', out);
}

static void write_depfile(const char *depfile, const char *target, const char *dir,
	const char *src_dir, char **files, size_t n)
{
	FILE *d = fopen(depfile, "w");
	if (d == NULL) {
		perror(depfile);
		exit(1);
	}
	fprintf(d, "%s: %s", target, dir);
	if (src_dir != NULL) {
		fprintf(d, " \\\n %s", src_dir);
	}
	for (size_t i = 0; i < n; i++) {
		fprintf(d, " \\\n %s", files[i]);
	}
	fputc('\n', d);
	if (fclose(d) != 0) {
		perror(depfile);
		exit(1);
	}
}

static const char *function_name(const struct rule *r, char *buf, size_t size)
{
	if (r->function != NULL) {
		return r->function;
	}
	char *s = snake(r->id);
	snprintf(buf, size, "kc_rules_%s", s);
	free(s);
	return buf;
}

/* Every rule that names no function has SRC_DIR/<id_>.c among built. */
static void check_sources(const struct rule *rules, size_t n, const char *src_dir,
	char **built, size_t built_count)
{
	for (size_t i = 0; i < n; i++) {
		if (rules[i].function != NULL) {
			continue;
		}
		char *s = snake(rules[i].id);
		char *name = xmalloc(strlen(s) + 3);
		sprintf(name, "%s.c", s);
		char *path = path_join(src_dir, name);
		bool found = false;
		for (size_t b = 0; b < built_count && !found; b++) {
			size_t bl = strlen(built[b]), nl = strlen(name);
			found = bl >= nl && strcmp(built[b] + bl - nl, name) == 0 &&
				(bl == nl || built[b][bl - nl - 1] == '/');
		}
		struct stat st;
		if (!found && stat(path, &st) == 0) {
			error_at(rules[i].file, NULL, "%s is not in the build yet: run "
				"meson setup --reconfigure (meson lists src/rules/*.c when "
				"it configures)", path);
		} else if (!found) {
			error_at(rules[i].file, NULL, "no check for rule '%s': write %s "
				"(or name a shared check with function:)", rules[i].id, path);
		}
		free(path);
		free(name);
		free(s);
	}
}

static void write_prototypes(FILE *out, const struct rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		char buf[256];
		const char *fn = function_name(&rules[i], buf, sizeof(buf));
		bool seen = false;
		for (size_t j = 0; j < i && !seen; j++) {
			char buf2[256];
			seen = strcmp(function_name(&rules[j], buf2, sizeof(buf2)), fn) == 0;
		}
		if (seen) {
			continue;
		}
		if (rules[i].input == INPUT_DOCKERFILE) {
			fprintf(out, "void %s(const struct kc_dockerfile *df, struct kc_check *ck);\n",
				fn);
		} else {
			fprintf(out, "void %s(const struct kc_workload *w, struct kc_check *ck);\n",
				fn);
		}
	}
}

static void write_header(FILE *out, const struct rule *rules, size_t n)
{
	fprintf(out, "/* Generated by tools/catalog.c from policies/rules/<id>.yaml; "
		"do not edit. */\n");
	fprintf(out, "/* The check functions, one per rule (or shared): "
		"included by k8scheck/rule.h. */\n\n");
	write_prototypes(out, rules, n);
}

static void write_table(FILE *out, const struct rule *rules, size_t n, enum input in,
	const char *type, const char *name)
{
	size_t count = 0;
	fprintf(out, "const struct %s %s[] = {\n", type, name);
	for (size_t i = 0; i < n; i++) {
		if (rules[i].input != in) {
			continue;
		}
		char buf[256];
		fprintf(out, "\t{ \"%s\", %s },\n", rules[i].id,
			function_name(&rules[i], buf, sizeof(buf)));
		count++;
	}
	if (count == 0) {
		fprintf(out, "\t{ NULL, NULL },  /* C has no empty arrays */\n");
	}
	fprintf(out, "};\nconst size_t %s_count = %zu;\n\n", name == NULL ? "" :
		strcmp(name, "kc_rules") == 0 ? "kc_rule" : "kc_dockerfile_rule", count);
}

static void write_source(FILE *out, const struct rule *rules, size_t n)
{
	static const char *const severity[] = { "info", "warning", "error" };
	static const char *const severity_enum[] = { "KC_SEVERITY_INFO",
		"KC_SEVERITY_WARNING", "KC_SEVERITY_ERROR" };
	fprintf(out, "/* Generated by tools/catalog.c from policies/rules/<id>.yaml; "
		"do not edit. */\n");
	fprintf(out, "#include <stddef.h>\n\n#include \"k8scheck/policy.h\"\n"
		"#include \"k8scheck/rule.h\"\n\n");
	/* Again here, so that this file compiles on its own (a test builds a
	 * registry from another catalog with the project's headers). */
	write_prototypes(out, rules, n);
	fputc('\n', out);
	write_table(out, rules, n, INPUT_KUBERNETES, "kc_rule", "kc_rules");
	write_table(out, rules, n, INPUT_DOCKERFILE, "kc_dockerfile_rule",
		"kc_dockerfile_rules");
	for (size_t i = 0; i < n; i++) {
		if (rules[i].ref_count == 0) {
			continue;
		}
		fprintf(out, "static const char *refs_%zu[] = {\n", i);
		for (size_t j = 0; j < rules[i].ref_count; j++) {
			fputc('\t', out);
			c_string(out, rules[i].refs[j]);
			fputs(",\n", out);
		}
		fprintf(out, "};\n");
	}
	fprintf(out, "\nconst struct kc_rule_meta kc_rule_catalog[] = {\n");
	for (size_t i = 0; i < n; i++) {
		const struct rule *r = &rules[i];
		size_t s = 0;
		while (strcmp(severity[s], r->severity) != 0) {
			s++;
		}
		fprintf(out, "\t{\n\t\t.id = \"%s\",\n\t\t.title = ", r->id);
		c_string(out, r->title);
		fprintf(out, ",\n\t\t.severity_name = \"%s\",\n\t\t.severity = %s,\n",
			severity[s], severity_enum[s]);
		fprintf(out, "\t\t.description =\n\t\t");
		c_string(out, r->description);
		fprintf(out, ",\n\t\t.remediation =\n\t\t");
		c_string(out, r->remediation);
		fprintf(out, ",\n\t\t.example =\n\t\t");
		c_string(out, r->example);
		if (r->security_severity != NULL) {
			fprintf(out, ",\n\t\t.security_severity = \"%s\"", r->security_severity);
		}
		if (r->ref_count > 0) {
			fprintf(out, ",\n\t\t.references = refs_%zu,\n\t\t.references_count = %zu",
				i, r->ref_count);
		}
		fprintf(out, ",\n\t\t.on_by_default = %s,\n\t\t.input = %s,\n\t},\n",
			r->default_on ? "true" : "false",
			r->input == INPUT_DOCKERFILE ? "KC_RULE_INPUT_DOCKERFILE" :
				"KC_RULE_INPUT_KUBERNETES");
	}
	if (n == 0) {
		fprintf(out, "\t{ .id = NULL },  /* C has no empty arrays */\n");
	}
	fprintf(out, "};\nconst size_t kc_rule_catalog_count = %zu;\n", n);
}

/* Everything is freed, so that the tool also runs under LeakSanitizer. */
static void free_rules(struct rule *rules, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		struct rule *r = &rules[i];
		char *strings[] = { r->file, r->id, r->title, r->severity, r->description,
			r->remediation, r->example, r->function, r->security_severity };
		for (size_t j = 0; j < sizeof(strings) / sizeof(strings[0]); j++) {
			free(strings[j]);
		}
		for (size_t j = 0; j < r->ref_count; j++) {
			free(r->refs[j]);
		}
		free(r->refs);
	}
	free(rules);
}

int main(int argc, char **argv)
{
	bool header = argc >= 5 && strcmp(argv[1], "header") == 0;
	bool source = argc >= 6 && strcmp(argv[1], "source") == 0;
	if (!header && !source) {
		fprintf(stderr, "usage: kc-catalog header OUT.h DEPFILE CATALOG_DIR\n"
			"       kc-catalog source OUT.c DEPFILE CATALOG_DIR SRC_DIR [BUILT.c ...]\n");
		return 2;
	}
	const char *out_path = argv[2], *depfile = argv[3], *dir = argv[4];
	size_t n;
	char **files = list_yaml(dir, &n);
	struct rule *rules = xmalloc(n * sizeof(*rules));
	for (size_t i = 0; i < n; i++) {
		rules[i] = (struct rule){ .file = files[i], .default_on = true };
		FILE *in = fopen(files[i], "rb");
		if (in == NULL) {
			perror(files[i]);
			return 1;
		}
		parse_rule(&rules[i], in);
		fclose(in);
	}
	if (errors == 0) {
		qsort(rules, n, sizeof(*rules), rule_cmp);
		for (size_t i = 1; i < n; i++) {
			if (strcmp(rules[i - 1].id, rules[i].id) == 0) {
				error_at(rules[i].file, NULL, "rule '%s' is described twice",
					rules[i].id);
			}
		}
	}
	if (errors == 0 && source) {
		check_sources(rules, n, argv[5], argv + 6, (size_t)(argc - 6));
	}
	if (errors > 0) {
		free_rules(rules, n);
		free(files);
		return 1;
	}
	write_depfile(depfile, out_path, dir, source ? argv[5] : NULL, files, n);
	FILE *out = fopen(out_path, "w");
	if (out == NULL) {
		perror(out_path);
		return 1;
	}
	if (header) {
		write_header(out, rules, n);
	} else {
		write_source(out, rules, n);
	}
	if (fclose(out) != 0) {
		perror(out_path);
		return 1;
	}
	free_rules(rules, n);
	free(files);
	return 0;
}
