/*
 * env-secret-literal: a credential written into the manifest as an
 * environment variable's value is in version control, in every copy of the
 * manifest, and readable by anyone who can read the workload object. Two
 * signs: the value has the shape of a well-known secret (an AWS access key
 * id, a PEM private key, a GitHub or Slack token, a URL with a password),
 * or the variable's name says it holds one and the value is a literal.
 * Messages give the value's length, never the value.
 */
#include <ctype.h>
#include <string.h>

#include "common.h"

/* Names that say "this holds a credential" (matched anywhere, any case). */
static const char *const name_words[] = { "PASSWORD", "PASSWD", "SECRET", "TOKEN",
	"API_KEY", "APIKEY", "PRIVATE_KEY", "ACCESS_KEY", "CREDENTIAL", NULL };

/* ... unless the name ends in one of these: it then says where a credential
 * is or how it is used (DB_PASSWORD_FILE, SECRET_NAME, TOKEN_TTL). */
static const char *const name_not_secret[] = { "_FILE", "_PATH", "_DIR", "_NAME",
	"_URL", "_URI", "_HOST", "_PORT", "_ID", "_TTL", "_TIMEOUT", "_EXPIRY",
	"_ENABLED", "_TYPE", "_HEADER", "_LENGTH", NULL };

static bool contains_nocase(const char *s, const char *word)
{
	size_t n = strlen(word);
	for (; *s != '\0'; s++) {
		size_t i = 0;
		while (i < n && s[i] != '\0' && toupper((unsigned char)s[i]) == word[i]) {
			i++;
		}
		if (i == n) {
			return true;
		}
	}
	return false;
}

static bool ends_nocase(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	if (n < m) {
		return false;
	}
	for (size_t i = 0; i < m; i++) {
		if (toupper((unsigned char)s[n - m + i]) != suffix[i]) {
			return false;
		}
	}
	return true;
}

static bool secret_name(const char *name)
{
	bool word = false;
	for (size_t i = 0; name_words[i] != NULL && !word; i++) {
		word = contains_nocase(name, name_words[i]);
	}
	for (size_t i = 0; name_not_secret[i] != NULL && word; i++) {
		word = !ends_nocase(name, name_not_secret[i]);
	}
	return word;
}

/* Values that cannot be a credential: references ("$(OTHER)" is expanded by
 * Kubernetes, "${X}" and "{{ }}" by templating), booleans, whole numbers. */
static bool not_a_credential(const char *v)
{
	if (strncmp(v, "$(", 2) == 0 || strncmp(v, "${", 2) == 0 || strncmp(v, "{{", 2) == 0) {
		return true;
	}
	static const char *const words[] = { "true", "false", "yes", "no", "on", "off", NULL };
	for (size_t i = 0; words[i] != NULL; i++) {
		size_t n = strlen(words[i]);
		bool same = strlen(v) == n;
		for (size_t j = 0; same && j < n; j++) {
			same = tolower((unsigned char)v[j]) == words[i][j];
		}
		if (same) {
			return true;
		}
	}
	size_t digits = strspn(v, "0123456789");
	return digits > 0 && v[digits] == '\0';
}

static size_t run_of(const char *s, const char *set)
{
	size_t n = 0;
	while (s[n] != '\0' && strchr(set, s[n]) != NULL) {
		n++;
	}
	return n;
}

#define UPPER_DIGITS "ABCDEFGHIJKLMNOPQRSTUVWXYZ0123456789"
#define ALNUM "abcdefghijklmnopqrstuvwxyz" UPPER_DIGITS

/* An AWS access key id: AKIA and 16 capitals or digits, as a whole word. */
static bool aws_key_id(const char *v)
{
	for (const char *p = strstr(v, "AKIA"); p != NULL; p = strstr(p + 1, "AKIA")) {
		bool start = p == v || strchr(UPPER_DIGITS, p[-1]) == NULL;
		if (start && run_of(p + 4, UPPER_DIGITS) == 16) {
			return true;
		}
	}
	return false;
}

/* GitHub tokens: ghp_/gho_/ghu_/ghs_/ghr_ and 36 alphanumerics, or a
 * fine-grained github_pat_... */
static bool github_token(const char *v)
{
	static const char *const prefixes[] = { "ghp_", "gho_", "ghu_", "ghs_", "ghr_", NULL };
	for (size_t i = 0; prefixes[i] != NULL; i++) {
		for (const char *p = strstr(v, prefixes[i]); p != NULL;
			p = strstr(p + 1, prefixes[i])) {
			if (run_of(p + 4, ALNUM) >= 36) {
				return true;
			}
		}
	}
	const char *p = strstr(v, "github_pat_");
	return p != NULL && run_of(p + 11, ALNUM "_") >= 22;
}

/* Slack tokens: xoxb-, xoxp-, xoxa- (and xoxr-, xoxs-) then the token. */
static bool slack_token(const char *v)
{
	for (const char *p = strstr(v, "xox"); p != NULL; p = strstr(p + 1, "xox")) {
		if (p[3] != '\0' && strchr("abprs", p[3]) != NULL && p[4] == '-' &&
			run_of(p + 5, ALNUM "-") >= 10) {
			return true;
		}
	}
	return false;
}

/* scheme://user:password@host, with a literal password. */
static bool url_password(const char *v)
{
	const char *s = strstr(v, "://");
	if (s == NULL) {
		return false;
	}
	s += 3;
	size_t auth = strcspn(s, "/?#");
	const char *at = memchr(s, '@', auth);
	if (at == NULL) {
		return false;
	}
	const char *colon = memchr(s, ':', (size_t)(at - s));
	if (colon == NULL || colon + 1 == at) {
		return false;
	}
	return strncmp(colon + 1, "$(", 2) != 0 && strncmp(colon + 1, "${", 2) != 0;
}

/* What the value looks like, or NULL. */
static const char *secret_shape(const char *v)
{
	if (aws_key_id(v)) {
		return "an AWS access key id";
	}
	if (strstr(v, "-----BEGIN ") != NULL && strstr(v, "PRIVATE KEY-----") != NULL) {
		return "a private key";
	}
	if (github_token(v)) {
		return "a GitHub token";
	}
	if (slack_token(v)) {
		return "a Slack token";
	}
	if (url_password(v)) {
		return "a URL with a password";
	}
	return NULL;
}

/* Length in characters (UTF-8 code points), for the message. */
static size_t chars(const char *v)
{
	size_t n = 0;
	for (; *v != '\0'; v++) {
		n += ((unsigned char)*v & 0xC0) != 0x80;
	}
	return n;
}

void kc_rules_env_secret_literal(const struct kc_workload *w, struct kc_check *ck)
{
	for (unsigned i = 0; i < w->container_count; i++) {
		const struct kc_container_ref *ref = &w->containers[i];
		for (unsigned e = 0; e < ref->c->env_count; e++) {
			const struct kc_env_var *env = &ref->c->env[e];
			const char *v = env->value;
			if (v == NULL || v[0] == '\0') {
				continue;
			}
			const char *var = env->name != NULL ? env->name : "";
			const char *shape = secret_shape(v);
			if (shape == NULL && (!secret_name(var) || not_a_credential(v))) {
				continue;
			}
			struct kc_path p = kc_path_join(&ref->path, "env");
			kc_path_index(&p, e);
			kc_path_key(&p, "value");
			char buf[16];
			const char *name = kc_rules_container_name(ref, buf, sizeof(buf));
			size_t len = chars(v);
			struct kc_finding *f = shape != NULL
				? kc_rules_container_finding(ck, ref, &p,
					"container '%s' sets environment variable '%s' to what "
					"looks like %s (%zu characters), in plain text", name,
					var, shape, len)
				: kc_rules_container_finding(ck, ref, &p,
					"container '%s' sets environment variable '%s' to a "
					"literal value (%zu characters) that looks like a "
					"credential", name, var, len);
			kc_finding_note(ck, f, "keep it in a Secret and read it with "
				"valueFrom.secretKeyRef, or mount the Secret as a file");
		}
	}
}
