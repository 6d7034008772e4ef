/* The scalar resolver (include/k8scheck/scalar.h): go-yaml v2's table. */
#include <string.h>

#include "k8scheck/scalar.h"

bool kc_scalar_is_int(const char *s)
{
	const char *p = s;
	if (*p == '+' || *p == '-') {
		p++;
	}
	if (p[0] == '0' && (p[1] == 'x' || p[1] == 'X')) {
		p += 2;
		if (*p == '\0') {
			return false;
		}
		for (; *p; p++) {
			if (!((*p >= '0' && *p <= '9') || (*p >= 'a' && *p <= 'f') ||
				(*p >= 'A' && *p <= 'F'))) {
				return false;
			}
		}
		return true;
	}
	if (*p == '\0') {
		return false;
	}
	for (; *p; p++) {
		if (*p < '0' || *p > '9') {
			return false;
		}
	}
	return true;
}

static bool is_float(const char *s)
{
	/* go-yaml v2's words: .inf, .nan and +-.inf in three spellings each. */
	const char *w = (s[0] == '+' || s[0] == '-') && s[1] == '.' ? s + 1 : s;
	if (strcmp(w, ".inf") == 0 || strcmp(w, ".Inf") == 0 || strcmp(w, ".INF") == 0 ||
		(w == s && (strcmp(s, ".nan") == 0 || strcmp(s, ".NaN") == 0 ||
		strcmp(s, ".NAN") == 0))) {
		return true;
	}
	const char *p = s;
	if (*p == '+' || *p == '-') {
		p++;
	}
	bool digits = false;
	while (*p >= '0' && *p <= '9') {
		p++;
		digits = true;
	}
	if (*p == '.') {
		p++;
		while (*p >= '0' && *p <= '9') {
			p++;
			digits = true;
		}
	}
	if (!digits) {
		return false;
	}
	if (*p == 'e' || *p == 'E') {
		p++;
		if (*p == '+' || *p == '-') {
			p++;
		}
		if (*p < '0' || *p > '9') {
			return false;
		}
		while (*p >= '0' && *p <= '9') {
			p++;
		}
	}
	return *p == '\0';
}

/* A YAML 1.1 null or boolean word, found by length and first byte instead of comparing
 * the scalar with every spelling: this runs for every scalar loaded. */
static bool word_is(const char *v, const char *w, size_t n)
{
	return memcmp(v, w, n) == 0;
}

static enum kc_scalar plain_word(const char *v, size_t len)
{
	switch (len) {
	case 1:
		if (v[0] == '~') {
			return KC_SCALAR_NULL;
		}
		return (v[0] == 'y' || v[0] == 'Y' || v[0] == 'n' || v[0] == 'N') ?
			KC_SCALAR_BOOL : KC_SCALAR_STRING;
	case 2:
		return (word_is(v, "on", 2) || word_is(v, "On", 2) ||
			word_is(v, "ON", 2) || word_is(v, "no", 2) ||
			word_is(v, "No", 2) || word_is(v, "NO", 2)) ? KC_SCALAR_BOOL : KC_SCALAR_STRING;
	case 3:
		return (word_is(v, "yes", 3) || word_is(v, "Yes", 3) ||
			word_is(v, "YES", 3) || word_is(v, "off", 3) ||
			word_is(v, "Off", 3) || word_is(v, "OFF", 3)) ? KC_SCALAR_BOOL : KC_SCALAR_STRING;
	case 4:
		if (word_is(v, "null", 4) || word_is(v, "Null", 4) || word_is(v, "NULL", 4)) {
			return KC_SCALAR_NULL;
		}
		return (word_is(v, "true", 4) || word_is(v, "True", 4) ||
			word_is(v, "TRUE", 4)) ? KC_SCALAR_BOOL : KC_SCALAR_STRING;
	case 5:
		return (word_is(v, "false", 5) || word_is(v, "False", 5) ||
			word_is(v, "FALSE", 5)) ? KC_SCALAR_BOOL : KC_SCALAR_STRING;
	default:
		return KC_SCALAR_STRING;
	}
}

enum kc_scalar kc_scalar_resolve(const char *value, size_t len, bool plain,
	const char *tag)
{
	if (tag != NULL) {
		if (strcmp(tag, "tag:yaml.org,2002:str") == 0) {
			return KC_SCALAR_STRING;
		} else if (strcmp(tag, "tag:yaml.org,2002:int") == 0) {
			return KC_SCALAR_INT;
		} else if (strcmp(tag, "tag:yaml.org,2002:bool") == 0) {
			return KC_SCALAR_BOOL;
		} else if (strcmp(tag, "tag:yaml.org,2002:float") == 0) {
			return KC_SCALAR_FLOAT;
		} else if (strcmp(tag, "tag:yaml.org,2002:null") == 0) {
			return KC_SCALAR_NULL;
		}
		/* go-yaml v2 resolves only the tags it knows (resolvableTag):
		 * under any other, "!" included, the text stays a string. */
		return KC_SCALAR_STRING;
	}
	if (!plain) {
		return KC_SCALAR_STRING;
	}
	if (len == 0) {
		return KC_SCALAR_NULL;
	}
	char c = value[0];
	if ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.') {
		if (kc_scalar_is_int(value)) {
			return KC_SCALAR_INT;
		}
		return is_float(value) ? KC_SCALAR_FLOAT : KC_SCALAR_STRING;
	}
	/* A plain scalar has no NUL byte, so its length is its strlen. */
	return plain_word(value, len);
}

bool kc_scalar_bool(const char *value, bool *out)
{
	size_t len = strlen(value);
	if (len > 5 || plain_word(value, len) != KC_SCALAR_BOOL) {
		return false;
	}
	/* The true words start with y, Y, t, T or "on"/"On"/"ON". */
	char c = value[0];
	*out = c == 'y' || c == 'Y' || c == 't' || c == 'T' ||
		((c == 'o' || c == 'O') && (value[1] == 'n' || value[1] == 'N'));
	return true;
}

const char *kc_scalar_name(enum kc_scalar t)
{
	switch (t) {
	case KC_SCALAR_NULL:
		return "null";
	case KC_SCALAR_BOOL:
		return "boolean";
	case KC_SCALAR_INT:
		return "integer";
	case KC_SCALAR_FLOAT:
		return "number";
	default:
		return "string";
	}
}

