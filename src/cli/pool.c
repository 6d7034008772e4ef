/* sched_getaffinity() and CPU_COUNT() are GNU extensions (glibc, musl). */
#define _GNU_SOURCE
#include <malloc.h>
#include <pthread.h>
#include <sched.h>
#include <stdbool.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "pool.h"

/* One thing that happened while a file was loaded, in order. */
struct event {
	struct event *next;
	void *result;            /* a document's analysis, or NULL: diag */
	struct kc_arena *arena;  /* the document's, freed once reported */
	size_t bytes;            /* counted against the budget */
	struct kc_diag_event diag;  /* strings in the same allocation */
};

/* A worker wakes the reporter once this much of its file waits. */
#define WAKE_EVENTS 32
#define WAKE_BYTES ((size_t)1 << 20)

struct file {
	struct event *first, *last;
	size_t waiting;          /* events in the list */
	size_t waiting_bytes;
	bool done;
	char *text;              /* the file's bytes, while its documents wait */
	size_t text_len;
	struct kc_load_stats stats;
};

struct pool {
	pthread_mutex_t mu;
	pthread_cond_t more;     /* the reporter: file `head` has news */
	pthread_cond_t room;     /* the workers: head moved or memory was freed */
	const struct kc_pool_job *jobs;
	struct file *files;
	size_t n;
	size_t next;             /* the next job a worker takes */
	size_t head;             /* the job being reported */
	size_t held;             /* bytes of documents and texts not yet reported */
	size_t budget;           /* the most held by files ahead of head */
	/* Reported documents' arenas, reset, for the next documents: a
	 * fresh arena per document would cost a page fault per page. */
	struct kc_arena **spare;
	size_t nspare;
	size_t spare_cap;
	const struct kc_limits *limits;
	const struct kc_pool_ops *ops;
	void *ctx;
};

/* A worker's view of the file it loads. */
struct loading {
	struct pool *p;
	size_t j;
};

static void lock(struct pool *p)
{
	pthread_mutex_lock(&p->mu);
}

static void unlock(struct pool *p)
{
	pthread_mutex_unlock(&p->mu);
}

/* With the lock held: wait until job j may hold more memory. */
static void wait_room(struct pool *p, size_t j)
{
	while (j != p->head && p->held > p->budget) {
		pthread_cond_wait(&p->room, &p->mu);
	}
}

static void push(struct pool *p, size_t j, struct event *ev, bool may_wait)
{
	lock(p);
	if (may_wait) {
		wait_room(p, j);
	}
	struct file *f = &p->files[j];
	if (f->last != NULL) {
		f->last->next = ev;
	} else {
		f->first = ev;
	}
	f->last = ev;
	f->waiting++;
	f->waiting_bytes += ev->bytes;
	p->held += ev->bytes;
	/* Wake the reporter for a batch, not for every document (or when the
	 * file is done): a wake-up per document cost more than reporting it. */
	if (j == p->head && (f->waiting >= WAKE_EVENTS ||
		f->waiting_bytes >= WAKE_BYTES)) {
		pthread_cond_signal(&p->more);
	}
	unlock(p);
}

static struct kc_arena *new_arena(void *ctx)
{
	struct pool *p = ((struct loading *)ctx)->p;
	struct kc_arena *a = NULL;
	lock(p);
	if (p->nspare > 0) {
		a = p->spare[--p->nspare];
	}
	unlock(p);
	return a != NULL ? a : kc_arena_create();
}

/* With the lock held: keep a reported document's arena for reuse. */
static void recycle(struct pool *p, struct kc_arena *a)
{
	if (p->nspare == p->spare_cap) {
		kc_arena_destroy(a);
		return;
	}
	p->spare[p->nspare++] = a;
}

static void *xcalloc(size_t size)
{
	void *m = calloc(1, size);
	if (m == NULL) {
		kc_arena_die_oom();
	}
	return m;
}

static void on_diag(void *ctx, const struct kc_diag_event *e)
{
	struct loading *l = ctx;
	size_t flen = strlen(e->file) + 1, mlen = strlen(e->message) + 1;
	struct event *ev = xcalloc(sizeof(*ev) + flen + mlen);
	char *file = (char *)(ev + 1);
	char *msg = file + flen;
	memcpy(file, e->file, flen);
	memcpy(msg, e->message, mlen);
	ev->diag = *e;
	ev->diag.file = file;
	ev->diag.message = msg;
	/* Small, and its document may be the one the reporter waits for. */
	push(l->p, l->j, ev, false);
}

static void on_document(void *ctx, const struct kc_loaded_doc *doc)
{
	struct loading *l = ctx;
	struct event *ev = xcalloc(sizeof(*ev));
	ev->result = l->p->ops->analyse(l->p->ctx, doc);
	ev->arena = doc->arena;
	ev->bytes = kc_arena_used(doc->arena);
	push(l->p, l->j, ev, true);
}

static void load(struct pool *p, size_t j)
{
	const struct kc_pool_job *job = &p->jobs[j];
	struct file *f = &p->files[j];
	struct loading l = { p, j };
	struct kc_diag d;
	kc_diag_init(&d, NULL, false);
	d.listener = on_diag;
	d.listener_ctx = &l;
	/* f->stats is this worker's until f->done is set under the lock. */
	char *text;
	size_t len;
	if (kc_input_read(job->path, job->name, job->in, p->limits, &d, &f->stats,
		&text, &len)) {
		lock(p);
		f->text = text;
		f->text_len = len;
		p->held += len;
		unlock(p);
		const struct kc_input_request req = {
			.name = job->name, .text = text, .len = len, .limits = p->limits,
			.diag = &d, .stats = &f->stats, .fn = on_document, .ctx = &l,
			.owned = true, .new_arena = new_arena,
		};
		kc_input_load(&req);
	}
	lock(p);
	f->done = true;
	if (j == p->head) {
		pthread_cond_signal(&p->more);
	}
	unlock(p);
}

static void *worker(void *arg)
{
	struct pool *p = arg;
	for (;;) {
		lock(p);
		while (p->next < p->n && p->jobs[p->next].errnum != 0) {
			p->next++;
		}
		if (p->next == p->n) {
			unlock(p);
			return NULL;
		}
		size_t j = p->next++;
		wait_room(p, j);
		unlock(p);
		load(p, j);
	}
}

/* Report job j's events as they come, until its worker is done. */
static void report(struct pool *p, size_t j)
{
	const struct kc_pool_job *job = &p->jobs[j];
	struct file *f = &p->files[j];
	p->ops->file_begin(p->ctx, job);
	for (;;) {
		lock(p);
		while (f->first == NULL && !f->done) {
			pthread_cond_wait(&p->more, &p->mu);
		}
		struct event *ev = f->first;
		bool done = f->done;
		f->first = f->last = NULL;
		f->waiting = 0;
		f->waiting_bytes = 0;
		unlock(p);
		if (ev == NULL && done) {
			break;
		}
		size_t freed = 0;
		struct kc_arena *done_arenas[64];
		size_t ndone = 0;
		while (ev != NULL) {
			struct event *next = ev->next;
			if (ev->result != NULL) {
				p->ops->document(p->ctx, ev->result);
				kc_arena_reset(ev->arena);
				if (ndone == sizeof(done_arenas) / sizeof(*done_arenas)) {
					lock(p);
					for (size_t i = 0; i < ndone; i++) {
						recycle(p, done_arenas[i]);
					}
					unlock(p);
					ndone = 0;
				}
				done_arenas[ndone++] = ev->arena;
			} else {
				p->ops->diag(p->ctx, &ev->diag);
			}
			freed += ev->bytes;
			free(ev);
			ev = next;
		}
		lock(p);
		for (size_t i = 0; i < ndone; i++) {
			recycle(p, done_arenas[i]);
		}
		p->held -= freed;
		pthread_cond_broadcast(&p->room);
		unlock(p);
	}
	p->ops->file_end(p->ctx, job, &f->stats);
	free(f->text);
	lock(p);
	p->held -= f->text_len;
	unlock(p);
}

unsigned kc_pool_default_threads(void)
{
	/* The processors this process may run on (taskset, a container's
	 * cpuset), else the ones online. */
	long n = 0;
#ifdef CPU_COUNT
	cpu_set_t set;
	if (sched_getaffinity(0, sizeof(set), &set) == 0) {
		n = CPU_COUNT(&set);
	}
#endif
	if (n < 1) {
		n = sysconf(_SC_NPROCESSORS_ONLN);
	}
	return n < 1 ? 1 : n > 256 ? 256 : (unsigned)n;
}

void kc_pool_run(const struct kc_pool_job *jobs, size_t n, unsigned threads,
	size_t budget, const struct kc_limits *limits, const struct kc_pool_ops *ops,
	void *ctx)
{
	struct pool p = {
		.jobs = jobs, .n = n, .budget = budget, .limits = limits, .ops = ops,
		.ctx = ctx,
	};
	pthread_mutex_init(&p.mu, NULL);
	pthread_cond_init(&p.more, NULL);
	pthread_cond_init(&p.room, NULL);
#ifdef M_TRIM_THRESHOLD
	mallopt(M_TRIM_THRESHOLD, 64 << 20);
#endif
	p.files = xcalloc((n ? n : 1) * sizeof(*p.files));
	p.spare_cap = 4 * (size_t)threads + 4;
	p.spare = xcalloc(p.spare_cap * sizeof(*p.spare));
	pthread_t *tid = xcalloc(threads * sizeof(*tid));
	unsigned started = 0;
	for (unsigned i = 0; i < threads; i++) {
		if (pthread_create(&tid[started], NULL, worker, &p) == 0) {
			started++;
		}
	}
	if (started == 0) {
		/* No thread to be had: do it all here, one file at a time. */
		for (size_t j = 0; j < n; j++) {
			p.head = j;
			if (jobs[j].errnum != 0) {
				ops->error(ctx, &jobs[j]);
			} else {
				load(&p, j);
				report(&p, j);
			}
		}
	} else {
		for (size_t j = 0; j < n; j++) {
			if (jobs[j].errnum != 0) {
				ops->error(ctx, &jobs[j]);
			} else {
				report(&p, j);
			}
			lock(&p);
			p.head = j + 1;
			pthread_cond_broadcast(&p.room);
			unlock(&p);
		}
	}
	for (unsigned i = 0; i < started; i++) {
		pthread_join(tid[i], NULL);
	}
	free(tid);
	for (size_t i = 0; i < p.nspare; i++) {
		kc_arena_destroy(p.spare[i]);
	}
	free(p.spare);
	free(p.files);
	pthread_cond_destroy(&p.room);
	pthread_cond_destroy(&p.more);
	pthread_mutex_destroy(&p.mu);
}
