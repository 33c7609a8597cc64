// SPDX-License-Identifier: GPL-2.0-or-later
/*
 * Parallel page compression. The writer thread fills a batch with page
 * pointers and queues it; workers take a few jobs at a time, so a slow
 * page does not hold the others up; the writer waits for the batch and
 * writes the results in job order. Up to PAGE_POOL_QUEUE batches can be
 * in flight, so the writer fills (and writes) one while the workers
 * compress the others.
 */
#include <stdlib.h>
#include <string.h>

#include "dump/classify.h"
#include "dump/page_batch.h"
#include "util/log.h"

/* Jobs a worker takes at once: amortises the lock, keeps workers balanced. */
#define JOBS_PER_CLAIM 8

int page_batch_alloc(struct page_batch *b, unsigned int cap, size_t page_size)
{
	size_t bound = page_compress_bound(page_size);
	unsigned int i;

	memset(b, 0, sizeof(*b));
	b->jobs = calloc(cap, sizeof(*b->jobs));
	b->copies = malloc((size_t)cap * page_size);
	b->out = malloc((size_t)cap * bound);
	if (!b->jobs || !b->copies || !b->out) {
		page_batch_free(b);
		return -PMD_ENOMEM;
	}
	for (i = 0; i < cap; i++)
		b->jobs[i].out = b->out + (size_t)i * bound;
	b->cap = cap;
	return 0;
}

void page_batch_free(struct page_batch *b)
{
	free(b->jobs);
	free(b->copies);
	free(b->out);
	memset(b, 0, sizeof(*b));
}

static void compress_job(struct page_pool *p, struct page_compressor *pc,
			 struct page_job *j)
{
	size_t size;

	if (p->check_zero && !j->keep && page_is_zero(j->src, p->page_size)) {
		j->kind = PAGE_ZERO;
		j->size = (uint32_t)p->page_size;
		return;
	}
	size = page_compress(pc, j->src, j->out);
	j->kind = size ? PAGE_COMPRESSED : PAGE_RAW;
	j->size = (uint32_t)(size ? size : p->page_size);
}

/* The oldest queued batch with jobs left to take, or NULL. Under the lock. */
static struct page_batch *batch_with_work(struct page_pool *p)
{
	unsigned int i;

	for (i = 0; i < p->queued; i++)
		if (p->queue[i]->next < p->queue[i]->nr)
			return p->queue[i];
	return NULL;
}

static void *worker_main(void *arg)
{
	struct page_worker *w = arg;
	struct page_pool *p = w->pool;

	pthread_mutex_lock(&p->lock);
	for (;;) {
		struct page_batch *b = NULL;
		unsigned int first, n, i;

		while (!p->stop && !(b = batch_with_work(p)))
			pthread_cond_wait(&p->work, &p->lock);
		if (p->stop)
			break;
		first = b->next;
		n = b->nr - first < JOBS_PER_CLAIM ? b->nr - first : JOBS_PER_CLAIM;
		b->next += n;
		pthread_mutex_unlock(&p->lock);

		for (i = first; i < first + n; i++)
			compress_job(p, &w->pc, &b->jobs[i]);

		pthread_mutex_lock(&p->lock);
		b->done += n;
		if (b->done == b->nr)
			pthread_cond_broadcast(&p->finished);
	}
	pthread_mutex_unlock(&p->lock);
	return NULL;
}

static int start_workers(struct page_pool *p)
{
	unsigned int i;
	int err;

	if (pthread_mutex_init(&p->lock, NULL) || pthread_cond_init(&p->work, NULL) ||
	    pthread_cond_init(&p->finished, NULL)) {
		return log_fail(p->log, PMD_ECORRUPT, "cannot initialise the compression threads' locks");
	}
	p->sync_ready = true;
	for (i = 0; i < p->nr_threads; i++) {
		err = pthread_create(&p->workers[i].thread, NULL, worker_main, &p->workers[i]);
		if (err) {
			return log_fail(p->log, PMD_ECORRUPT, "cannot start compression thread %u of %u: %s", i + 1,
			       p->nr_threads, strerror(err));
		}
		p->workers[i].started = true;
	}
	return 0;
}

int page_pool_init(struct page_pool *p, struct log_ctx *log, enum compression type,
		   size_t page_size, bool check_zero, unsigned int threads)
{
	unsigned int i, nr = threads ? threads : 1;

	memset(p, 0, sizeof(*p));
	p->log = log;
	p->page_size = page_size;
	p->check_zero = check_zero;
	p->nr_threads = threads;
	p->workers = calloc(nr, sizeof(*p->workers));
	if (!p->workers) {
		return log_fail(p->log, PMD_ENOMEM, "out of memory for %u compression threads", nr);
	}
	for (i = 0; i < nr; i++) {
		p->workers[i].pool = p;
		if (page_compressor_init(&p->workers[i].pc, log, type, page_size) < 0)
			goto err;
	}
	if (threads && start_workers(p) < 0)
		goto err;
	return 0;
err:
	page_pool_free(p);
	return -1;
}

void page_pool_free(struct page_pool *p)
{
	unsigned int i, nr = p->nr_threads ? p->nr_threads : 1;

	if (!p->workers)
		return;
	if (p->sync_ready) {
		pthread_mutex_lock(&p->lock);
		p->stop = true;
		pthread_cond_broadcast(&p->work);
		pthread_mutex_unlock(&p->lock);
	}
	for (i = 0; i < nr; i++) {
		if (p->workers[i].started)
			pthread_join(p->workers[i].thread, NULL);
		page_compressor_free(&p->workers[i].pc);
	}
	if (p->sync_ready) {
		pthread_cond_destroy(&p->finished);
		pthread_cond_destroy(&p->work);
		pthread_mutex_destroy(&p->lock);
	}
	free(p->workers);
	memset(p, 0, sizeof(*p));
}

void page_pool_submit(struct page_pool *p, struct page_batch *b)
{
	unsigned int i;

	b->next = 0;
	b->done = 0;
	if (!p->nr_threads) {
		for (i = 0; i < b->nr; i++)
			compress_job(p, &p->workers[0].pc, &b->jobs[i]);
		b->next = b->done = b->nr;
		return;
	}
	pthread_mutex_lock(&p->lock);
	p->queue[p->queued++] = b;
	b->queued = true;
	pthread_cond_broadcast(&p->work);
	pthread_mutex_unlock(&p->lock);
}

void page_pool_wait(struct page_pool *p, struct page_batch *b)
{
	unsigned int i;

	if (!p->nr_threads)
		return;
	pthread_mutex_lock(&p->lock);
	while (b->done < b->nr)
		pthread_cond_wait(&p->finished, &p->lock);
	if (b->queued) {
		for (i = 0; i < p->queued && p->queue[i] != b; i++)
			;
		for (; i + 1 < p->queued; i++)
			p->queue[i] = p->queue[i + 1];
		p->queued--;
		b->queued = false;
	}
	pthread_mutex_unlock(&p->lock);
}
