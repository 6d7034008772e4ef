/*
 * The -j pool (src/cli/pool.c): whatever the number of workers and however
 * their work interleaves, the reporter hears every file's events in input
 * order, and workers ahead of the reported file stop at the memory budget.
 */
#include <errno.h>
#include <stdbool.h>
#include <pthread.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>

#include "../../src/cli/pool.h"
#include "support.h"

enum { NFILES = 24, NDOCS = 5 };

struct corpus {
	char dir[64];
	char names[NFILES][128];
	struct kc_pool_job jobs[NFILES + 2];
	size_t njobs;
};

static void nap(unsigned us)
{
	struct timespec ts = { 0, (long)us * 1000 };
	nanosleep(&ts, NULL);
}

/* Files of NDOCS Pods each; every fifth has a syntax error in its third
 * document; two paths that do not exist sit among them. */
static void make_corpus(struct corpus *c)
{
	snprintf(c->dir, sizeof(c->dir), "/tmp/kc-test-pool.XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(c->dir));
	c->njobs = 0;
	for (unsigned f = 0; f < NFILES; f++) {
		snprintf(c->names[f], sizeof(c->names[f]), "%s/f%02u.yaml", c->dir, f);
		FILE *o = fopen(c->names[f], "w");
		ck_assert_ptr_nonnull(o);
		for (unsigned d = 0; d < NDOCS; d++) {
			if (f % 5 == 0 && d == 2) {
				fprintf(o, "---\nkind: [unclosed\n");
				continue;
			}
			fprintf(o, "---\napiVersion: v1\nkind: Pod\nmetadata:\n  name: p%u-%u\n"
				"spec:\n  containers:\n  - name: c\n    image: nginx:1\n", f, d);
		}
		fclose(o);
		if (f == 7 || f == 15) {
			c->jobs[c->njobs++] = (struct kc_pool_job){
				.name = "missing.yaml", .errnum = ENOENT,
			};
		}
		c->jobs[c->njobs++] = (struct kc_pool_job){
			.path = c->names[f], .name = c->names[f],
		};
	}
}

static void remove_corpus(struct corpus *c)
{
	for (unsigned f = 0; f < NFILES; f++) {
		unlink(c->names[f]);
	}
	rmdir(c->dir);
}

struct rec {
	char *log;               /* what the reporter heard, in order */
	size_t len;
	FILE *out;
	pthread_mutex_t mu;
	unsigned pending;        /* analysed, not yet reported */
	unsigned max_pending;
	unsigned report_delay_us;
	unsigned wait_for;       /* hold the first report until this many wait */
	unsigned files_ended;
	unsigned stop_after;     /* files; 0: never stop */
};

struct result {
	const char *file;
	unsigned index;
	const char *name;
};

static void *analyse(void *ctx, const struct kc_loaded_doc *doc)
{
	struct rec *r = ctx;
	struct result *res = kc_arena_alloc(doc->arena, sizeof(*res));
	res->file = doc->file;
	res->index = doc->index;
	res->name = doc->workload_count ? doc->workloads[0].name : "-";
	/* Uneven work, so workers overtake each other. */
	nap((unsigned)((doc->index * 7919 + strlen(doc->file) * 31) % 400));
	pthread_mutex_lock(&r->mu);
	if (++r->pending > r->max_pending) {
		r->max_pending = r->pending;
	}
	pthread_mutex_unlock(&r->mu);
	return res;
}

static void file_begin(void *ctx, const struct kc_pool_job *job)
{
	struct rec *r = ctx;
	fprintf(r->out, "begin %s\n", job->name);
}

static void diag(void *ctx, const struct kc_diag_event *e)
{
	struct rec *r = ctx;
	fprintf(r->out, "diag %s:%u:%u %s\n", e->file, e->line, e->col, e->message);
}

static void document(void *ctx, void *result)
{
	struct rec *r = ctx;
	const struct result *res = result;
	fprintf(r->out, "doc %s#%u %s\n", res->file, res->index, res->name);
	/* Give the workers up to 20 s to run that far ahead. */
	for (unsigned i = 0; r->wait_for > 0 && i < 20000; i++) {
		pthread_mutex_lock(&r->mu);
		bool enough = r->pending >= r->wait_for;
		pthread_mutex_unlock(&r->mu);
		if (enough) {
			break;
		}
		nap(1000);
	}
	r->wait_for = 0;
	pthread_mutex_lock(&r->mu);
	r->pending--;
	pthread_mutex_unlock(&r->mu);
	nap(r->report_delay_us);
}

static void file_end(void *ctx, const struct kc_pool_job *job,
	const struct kc_load_stats *st)
{
	struct rec *r = ctx;
	fprintf(r->out, "end %s files=%u docs=%u workloads=%u errors=%u\n", job->name,
		st->files, st->documents, st->workloads, st->input_errors);
	r->files_ended++;
}

static bool stopped(void *ctx)
{
	struct rec *r = ctx;
	return r->stop_after > 0 && r->files_ended >= r->stop_after;
}

static void error(void *ctx, const struct kc_pool_job *job)
{
	struct rec *r = ctx;
	fprintf(r->out, "error %s %s\n", job->name, strerror(job->errnum));
}

static const struct kc_pool_ops ops = {
	analyse, file_begin, diag, document, file_end, error, NULL,
};

/* Run the pool; return the log (caller frees) and the most documents that
 * were analysed but not reported at once. */
static char *run(const struct corpus *c, unsigned threads, size_t budget,
	unsigned delay_us, unsigned wait_for, unsigned *max_pending)
{
	struct rec r = { .report_delay_us = delay_us, .wait_for = wait_for };
	pthread_mutex_init(&r.mu, NULL);
	r.out = open_memstream(&r.log, &r.len);
	kc_pool_run(c->jobs, c->njobs, threads, budget, NULL, &ops, &r);
	fclose(r.out);
	pthread_mutex_destroy(&r.mu);
	ck_assert_uint_eq(r.pending, 0);
	if (max_pending != NULL) {
		*max_pending = r.max_pending;
	}
	return r.log;
}

/* The log a sequential reading of the corpus gives, written out by hand. */
static char *expected_log(const struct corpus *c)
{
	char *log;
	size_t len;
	FILE *o = open_memstream(&log, &len);
	for (unsigned f = 0; f < NFILES; f++) {
		if (f == 7 || f == 15) {
			fprintf(o, "error missing.yaml %s\n", strerror(ENOENT));
		}
		fprintf(o, "begin %s\n", c->names[f]);
		for (unsigned d = 0, idx = 0; d < NDOCS; d++, idx++) {
			if (f % 5 == 0 && d == 2) {
				/* The broken document is reported where it is. */
				fprintf(o, "diag %s:\n", c->names[f]);
				continue;
			}
			fprintf(o, "doc %s#%u p%u-%u\n", c->names[f], idx, f, d);
		}
		fprintf(o, "end %s files=1 docs=%u workloads=%u errors=%u\n", c->names[f],
			NDOCS, f % 5 == 0 ? NDOCS - 1 : NDOCS, f % 5 == 0 ? 1 : 0);
	}
	fclose(o);
	return log;
}

/* expected_log() leaves each syntax error's position and text open: match
 * the rest exactly. */
static void assert_matches(const char *got, const char *want)
{
	const char *g = got, *w = want;
	while (*w != '\0') {
		size_t wl = strcspn(w, "\n");
		size_t gl = strcspn(g, "\n");
		if (wl > 0 && w[wl - 1] == ':' && strncmp(w, "diag ", 5) == 0) {
			ck_assert_msg(gl >= wl && strncmp(g, w, wl) == 0,
				"want a diagnostic '%.*s...', got '%.*s'", (int)wl, w, (int)gl, g);
		} else {
			ck_assert_msg(gl == wl && strncmp(g, w, wl) == 0,
				"want '%.*s', got '%.*s'", (int)wl, w, (int)gl, g);
		}
		w += wl + (w[wl] == '\n');
		g += gl + (g[gl] == '\n');
	}
	ck_assert_msg(*g == '\0', "unexpected trailing events: %.80s", g);
}

START_TEST(reports_in_input_order_for_any_thread_count)
{
	struct corpus c;
	make_corpus(&c);
	char *want = expected_log(&c);
	char *one = run(&c, 1, KC_POOL_BUDGET, 0, 0, NULL);
	assert_matches(one, want);
	static const unsigned counts[] = { 2, 3, 4, 8, 16 };
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		char *many = run(&c, counts[i], KC_POOL_BUDGET, 0, 0, NULL);
		ck_assert_msg(strcmp(one, many) == 0, "-j %u differs from -j 1", counts[i]);
		free(many);
	}
	free(one);
	free(want);
	remove_corpus(&c);
}
END_TEST

START_TEST(workers_ahead_stop_at_the_budget)
{
	struct corpus c;
	make_corpus(&c);
	char *want = expected_log(&c);
	/* Without a budget the workers run ahead of a slow reporter (the first
	 * report waits for them to), so the test below can tell. */
	unsigned unbounded = 0, bounded = 0;
	char *log = run(&c, 4, (size_t)-1, 0, 2 * NDOCS + 4, &unbounded);
	assert_matches(log, want);
	free(log);
	log = run(&c, 4, 1, 2000, 0, &bounded);
	assert_matches(log, want);
	free(log);
	/* At most the reported file's documents plus one document per worker
	 * waiting for room. */
	ck_assert_uint_le(bounded, NDOCS + 4);
	ck_assert_uint_ge(unbounded, 2 * NDOCS + 4);
	free(want);
	remove_corpus(&c);
}
END_TEST

/* The reader is gone after the third file: nothing more is reported, no
 * worker is left waiting, whatever the number of workers. */
START_TEST(stops_when_told)
{
	struct corpus c;
	make_corpus(&c);
	char *want = expected_log(&c);
	/* The sequential log up to the third file's end. */
	char *cut = want;
	for (unsigned ends = 0; ends < 3; ) {
		cut = strstr(cut, "\nend ");
		ck_assert_ptr_nonnull(cut);
		cut = strchr(cut + 1, '\n') + 1;
		ends++;
	}
	*cut = '\0';
	static const struct kc_pool_ops stopping = {
		analyse, file_begin, diag, document, file_end, error, stopped,
	};
	static const unsigned counts[] = { 1, 2, 4, 8 };
	for (size_t i = 0; i < sizeof(counts) / sizeof(*counts); i++) {
		struct rec r = { .stop_after = 3 };
		pthread_mutex_init(&r.mu, NULL);
		r.out = open_memstream(&r.log, &r.len);
		kc_pool_run(c.jobs, c.njobs, counts[i], KC_POOL_BUDGET, NULL, &stopping, &r);
		fclose(r.out);
		pthread_mutex_destroy(&r.mu);
		assert_matches(r.log, want);
		free(r.log);
	}
	free(want);
	remove_corpus(&c);
}
END_TEST

static Suite *pool_suite(void)
{
	Suite *s = suite_create("pool");
	TCase *tc = tcase_create("pool");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, reports_in_input_order_for_any_thread_count);
	tcase_add_test(tc, workers_ahead_stop_at_the_budget);
	tcase_add_test(tc, stops_when_told);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	return t_run(pool_suite());
}
