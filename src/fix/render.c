/*
 * Rendering `k8scheck fix`'s plan as text edits. Each mapping keeps its own
 * style: block (with its indentation), flow, or JSON (double-quoted keys
 * and strings); edits never move text they do not change.
 */

#include "fix_impl.h"

static bool flow_json(const struct kc_node *map)
{
	/* A flow mapping whose keys are double-quoted is JSON: write JSON. */
	return map->count > 0 && map->items[0]->style == KC_STYLE_DOUBLE_QUOTED;
}

static bool plain_ok(const char *v)
{
	return strcmp(v, "true") == 0 || strcmp(v, "false") == 0 ||
		(v[0] >= '0' && v[0] <= '9') || strcmp(v, "null") == 0;
}

static void scalar_out(struct buf *b, const char *v, bool json)
{
	if (json && !plain_ok(v)) {
		puts_(b, "\"");
		puts_(b, v);
		puts_(b, "\"");
	} else {
		puts_(b, v);
	}
}

static void key_out(struct buf *b, const char *k, bool json)
{
	if (json) {
		puts_(b, "\"");
		puts_(b, k);
		puts_(b, "\"");
	} else {
		puts_(b, k);
	}
}

static void value_flow(struct buf *b, const char *v, bool json)
{
	if (!kc_fix_is_list_value(v)) {
		scalar_out(b, v, json);
		return;
	}
	char **items;
	size_t k = kc_fix_list_items(v, &items);
	puts_(b, "[");
	for (size_t i = 0; i < k; i++) {
		if (i > 0) {
			puts_(b, ", ");
		}
		scalar_out(b, items[i], json);
		free(items[i]);
	}
	free(items);
	puts_(b, "]");
}

static void tree_flow(struct buf *b, const struct ins *n, bool json)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ins *c = &n->kids[i];
		if (i > 0) {
			puts_(b, ", ");
		}
		key_out(b, c->key, json);
		puts_(b, ": ");
		if (c->value != NULL) {
			value_flow(b, c->value, json);
		} else {
			puts_(b, "{");
			tree_flow(b, c, json);
			puts_(b, "}");
		}
	}
}

static void tree_block(struct buf *b, const struct ins *n, size_t indent, const char *nl)
{
	for (size_t i = 0; i < n->nkids; i++) {
		const struct ins *c = &n->kids[i];
		spaces(b, indent);
		puts_(b, c->key);
		puts_(b, ":");
		if (c->value == NULL) {
			puts_(b, nl);
			tree_block(b, c, indent + 2, nl);
		} else if (kc_fix_is_list_value(c->value)) {
			char **items;
			size_t k = kc_fix_list_items(c->value, &items);
			puts_(b, nl);
			for (size_t j = 0; j < k; j++) {
				spaces(b, indent);
				puts_(b, "- ");
				puts_(b, items[j]);
				puts_(b, nl);
				free(items[j]);
			}
			free(items);
		} else {
			puts_(b, " ");
			puts_(b, c->value);
			puts_(b, nl);
		}
	}
}

static size_t line_start(const char *t, size_t off)
{
	while (off > 0 && t[off - 1] != '\n') {
		off--;
	}
	return off;
}

static bool blank_or_comment(const char *t, size_t s, size_t e)
{
	while (s < e && (t[s] == ' ' || t[s] == '\t' || t[s] == '\r')) {
		s++;
	}
	return s == e || t[s] == '#';
}

/* Past a node's properties (tag, anchor), the comments and the line breaks
 * after them: where its content starts. */
static size_t skip_properties(const char *t, size_t len, size_t i, size_t end)
{
	while (i < end && i < len && (t[i] == '!' || t[i] == '&')) {
		while (i < len && !strchr(" \t\r\n", t[i])) {
			i++;
		}
		while (i < len && strchr(" \t\r\n#", t[i])) {
			if (t[i] == '#') {
				while (i < len && t[i] != '\n') {
					i++;
				}
			} else {
				i++;
			}
		}
	}
	return i;
}

/* A block scalar with keep chomping (`|+`, `>+`) owns the blank lines after
 * its content: they are part of its value. Where n's text ends with one, the
 * offset text may not be cut or inserted before (its end); else n's start. */
static size_t keep_floor(const struct kc_fixer *fx, const struct kc_node *n)
{
	const struct kc_node *d = n;
	for (;;) {
		size_t k = d->type == KC_NODE_MAPPING ? 2 * d->count
			: d->type == KC_NODE_SEQUENCE ? d->count : 0;
		if (k == 0) {
			break;
		}
		const struct kc_node *last = d->items[k - 1];
		/* An alias points at text elsewhere: the entry ends with its
		 * key (or the item's dash), never a block scalar. */
		if (!kc_fix_contains_node(d, last) || last->start_off < d->items[0]->start_off) {
			return n->start_off;
		}
		d = last;
	}
	if (d->type != KC_NODE_SCALAR ||
		(d->style != KC_STYLE_LITERAL && d->style != KC_STYLE_FOLDED)) {
		return n->start_off;
	}
	size_t i = skip_properties(fx->text, fx->len, d->start_off, d->end_off);
	if (i >= fx->len || (fx->text[i] != '|' && fx->text[i] != '>')) {
		return n->start_off;
	}
	for (i++; i < fx->len && strchr("+-0123456789", fx->text[i]) &&
		fx->text[i] != '\0'; i++) {
		if (fx->text[i] == '+') {
			return d->end_off > fx->len ? fx->len : d->end_off;
		}
	}
	return n->start_off;
}

/* The start of the line after node n's last content line. */
static size_t after_content(const struct kc_fixer *fx, const struct kc_node *n,
	bool *need_nl)
{
	const char *t = fx->text;
	size_t end = n->end_off > fx->len ? fx->len : n->end_off;
	size_t floor = keep_floor(fx, n);
	*need_nl = false;
	/* A block collection's end mark sits on the next token, which may be
	 * indented: only spaces before it mean it starts its line. */
	if (end > n->start_off && blank_or_comment(t, line_start(t, end), end) &&
		(end == fx->len || t[end] != '#')) {
		end = line_start(t, end);
	}
	if (end > 0 && line_start(t, end) == end) {
		/* A block collection ends where the next token starts: step
		 * back over blank and comment-only lines. */
		size_t p = end;
		while (p > floor) {
			size_t ls = line_start(t, p - 1);
			if (!blank_or_comment(t, ls, p - 1)) {
				break;
			}
			p = ls;
		}
		return p;
	}
	while (end < fx->len && t[end] != '\n') {
		end++;
	}
	if (end < fx->len) {
		return end + 1;
	}
	*need_nl = true;
	return end;
}

static size_t column_bytes(const struct kc_fixer *fx, const struct kc_node *n)
{
	return n->start_off - line_start(fx->text, n->start_off);
}

bool kc_fix_render(struct kc_fixer *fx, struct target *t, const char **why)
{
	const struct kc_node *n = t->node;
	struct buf b = { 0 };
	switch (t->kind) {
	case T_REPLACE: {
		if (t->key != NULL) {
			/* Only blanks may separate a key from its colon; any
			 * other ':' on the line belongs to something else. */
			size_t at = t->key->end_off;
			while (at < fx->len && (fx->text[at] == ' ' || fx->text[at] == '\t')) {
				at++;
			}
			bool ok = at < fx->len && fx->text[at] == ':' && at < n->start_off;
			/* In a flow mapping the empty value sits at the next
			 * token (`{key: }`): only blanks may come between. */
			for (size_t i = at + 1; ok && i < n->start_off; i++) {
				ok = strchr(" \t\r\n", fx->text[i]) != NULL;
			}
			if (!ok) {
				*why = "cannot find the key's colon";
				free(b.s);
				return false;
			}
			puts_(&b, " ");
			value_flow(&b, t->value, t->key->style == KC_STYLE_DOUBLE_QUOTED);
			kc_fix_add_edit(fx, at + 1, 0, b.s);
			return true;
		}
		bool json = n->style == KC_STYLE_DOUBLE_QUOTED;
		if (kc_fix_is_list_value(t->value)) {
			value_flow(&b, t->value, json);
		} else {
			scalar_out(&b, t->value, json);
		}
		kc_fix_add_edit(fx, n->start_off, n->end_off - n->start_off, b.s);
		return true;
	}
	case T_INSERT:
		/* Never write a key the mapping already has (a duplicate key
		 * is an error): what exists is left to its own finding. */
		for (size_t i = 0; i < t->tree.nkids;) {
			if (kc_node_get(n, t->tree.kids[i].key) != NULL) {
				kc_fix_ins_free(&t->tree.kids[i]);
				memmove(&t->tree.kids[i], &t->tree.kids[i + 1],
					(t->tree.nkids - i - 1) * sizeof(*t->tree.kids));
				t->tree.nkids--;
			} else {
				i++;
			}
		}
		if (t->tree.nkids == 0) {
			free(b.s);
			return true;
		}
		if (n->style == KC_STYLE_FLOW) {
			bool json = flow_json(n);
			size_t close = n->end_off;
			if (close == 0 || fx->text[close - 1] != '}') {
				*why = "cannot find the end of the flow mapping";
				return false;
			}
			size_t at = close - 1;
			if (n->count > 0) {
				/* Right after the last value, so a closing brace on
				 * its own line stays where it is. */
				const struct kc_node *last = n->items[2 * n->count - 1];
				if (kc_fix_contains_node(n, last)) {
					at = last->end_off;
				}
				puts_(&b, ", ");
			}
			tree_flow(&b, &t->tree, json);
			kc_fix_add_edit(fx, at, 0, b.s);
			return true;
		} else {
			size_t indent = column_bytes(fx, n->items[0]);
			/* An explicit first key (`? key`): the mapping's
			 * indentation is the '?', not the key after it. */
			size_t q = n->items[0]->start_off;
			while (q > 0 && (fx->text[q - 1] == ' ' || fx->text[q - 1] == '\t')) {
				q--;
			}
			if (q > 0 && fx->text[q - 1] == '?') {
				indent = (q - 1) - line_start(fx->text, q - 1);
			}
			bool need_nl;
			const struct kc_node *lkey = n->items[2 * n->count - 2];
			const struct kc_node *last = n->items[2 * n->count - 1];
			/* An alias as the last value points at text earlier in
			 * the file, and the empty value of an explicit key with
			 * no ':' (`? key`) sits at the next token, past the
			 * mapping: either way the entry ends with its key. */
			bool at_key = last->start_off < lkey->start_off ||
				last->start_off == last->end_off;
			size_t at = after_content(fx, at_key ? lkey : last, &need_nl);
			if (need_nl) {
				puts_(&b, fx->nl);
			}
			tree_block(&b, &t->tree, indent, fx->nl);
			kc_fix_add_edit_at(fx, at, 0, b.s, indent + 1);
			return true;
		}
	case T_APPEND:
		if (n->style == KC_STYLE_FLOW) {
			bool json = n->count > 0 && n->items[0]->style == KC_STYLE_DOUBLE_QUOTED;
			size_t close = n->end_off;
			if (close == 0 || fx->text[close - 1] != ']') {
				*why = "cannot find the end of the flow list";
				return false;
			}
			/* `[a, b,]`: a trailing comma already separates. */
			size_t prev = close - 1;
			while (prev > n->start_off && strchr(" \t\r\n", fx->text[prev - 1])) {
				prev--;
			}
			bool comma = prev > n->start_off && fx->text[prev - 1] == ',';
			for (size_t i = 0; i < t->nitems; i++) {
				if (i > 0 || (n->count > 0 && !comma)) {
					puts_(&b, ", ");
				} else if (comma) {
					puts_(&b, " ");
				}
				scalar_out(&b, t->items[i], json);
			}
			kc_fix_add_edit(fx, close - 1, 0, b.s);
			return true;
		} else {
			size_t indent = column_bytes(fx, n);
			bool need_nl;
			size_t at = after_content(fx, n->items[n->count - 1], &need_nl);
			if (need_nl) {
				puts_(&b, fx->nl);
			}
			for (size_t i = 0; i < t->nitems; i++) {
				spaces(&b, indent);
				puts_(&b, "- ");
				puts_(&b, t->items[i]);
				puts_(&b, fx->nl);
			}
			kc_fix_add_edit_at(fx, at, 0, b.s, indent + 1);
			return true;
		}
	case T_REMOVE: {
		const struct kc_node *parent = t->parent;
		if (parent->type == KC_NODE_MAPPING && parent->style == KC_STYLE_BLOCK) {
			/* The key's line(s), when the key starts its line. */
			const struct kc_node *key = NULL;
			for (size_t i = 0; i < parent->count; i++) {
				if (parent->items[2 * i + 1] == n) {
					key = parent->items[2 * i];
				}
			}
			size_t s = key ? line_start(fx->text, key->start_off) : 0;
			if (key == NULL || !kc_fix_contains_node(parent, n) ||
				!blank_or_comment(fx->text, s, key->start_off) ||
				fx->text[s + (key->start_off - s) - 1] == '-') {
				*why = "the entry shares its line with other content";
				return false;
			}
			bool need_nl;
			size_t e = after_content(fx, n, &need_nl);
			kc_fix_add_edit(fx, s, e - s, xstrdup(""));
			free(b.s);
			return true;
		}
		if (parent->type != KC_NODE_SEQUENCE || parent->style == KC_STYLE_FLOW) {
			*why = "only items of block lists are removed automatically";
			return false;
		}
		/* The item's whole line(s): from its line start (the dash)
		 * to the line after its content. */
		size_t s = line_start(fx->text, n->start_off);
		if (!blank_or_comment(fx->text, s, n->start_off - 2) ||
			fx->text[n->start_off - 2] != '-') {
			*why = "the list item shares its line with other content";
			return false;
		}
		bool need_nl;
		size_t e = after_content(fx, n, &need_nl);
		kc_fix_add_edit(fx, s, e - s, xstrdup(""));
		free(b.s);
		return true;
	}
	}
	return false;
}

