/* SPDX-License-Identifier: GPL-2.0-or-later */
#ifndef PMD_DUMP_PAGE_BATCH_H
#define PMD_DUMP_PAGE_BATCH_H

#include <pthread.h>
#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "dump/compress.h"

/*
 * Batches of pages compressed on worker threads. Each page's result is
 * stored at the page's index in its batch, so the writer emits pages in
 * pfn order and the output does not depend on the number of threads.
 */
enum page_kind {
	PAGE_RAW,		/* stored as is */
	PAGE_COMPRESSED,	/* job->size bytes at job->out */
	PAGE_ZERO,		/* all zero, and zero pages are excluded */
};

struct page_job {
	const uint8_t *src;	/* the page: in the input mapping or batch->copies */
	uint8_t *out;		/* page_compress_bound() bytes of batch->out */
	uint32_t size;
	uint8_t kind;
	bool keep;		/* dumped as data even if all zero (pmem metadata) */
};

struct page_batch {
	struct page_job *jobs;
	unsigned int nr;
	unsigned int cap;
	uint8_t *copies;	/* cap pages, for input read without a mapping */
	uint8_t *out;		/* cap * page_compress_bound() bytes */

	/* Pool bookkeeping, under pool->lock. */
	unsigned int next;	/* first job no worker has taken */
	unsigned int done;	/* jobs finished */
	bool queued;
};

#define PAGE_POOL_QUEUE 4

struct page_pool;

struct page_worker {
	struct page_pool *pool;
	struct page_compressor pc;
	pthread_t thread;
	bool started;
};

struct page_pool {
	struct log_ctx *log;
	size_t page_size;
	bool check_zero;
	unsigned int nr_threads;	/* 0: compress on the caller's thread */
	struct page_worker *workers;	/* nr_threads, or one for the caller */
	bool sync_ready;		/* lock and conditions initialised */

	pthread_mutex_t lock;
	pthread_cond_t work;		/* a batch was queued, or stop */
	pthread_cond_t finished;	/* a batch's last job is done */
	struct page_batch *queue[PAGE_POOL_QUEUE];
	unsigned int queued;
	bool stop;
};

int page_batch_alloc(struct page_batch *b, unsigned int cap, size_t page_size);
void page_batch_free(struct page_batch *b);

static inline void page_batch_reset(struct page_batch *b)
{
	b->nr = 0;
}

/*
 * @threads workers compress pages of type @type; with @check_zero, an
 * all-zero page is reported as PAGE_ZERO and not compressed.
 */
int page_pool_init(struct page_pool *p, struct log_ctx *log, enum compression type,
		   size_t page_size, bool check_zero, unsigned int threads);
void page_pool_free(struct page_pool *p);

/*
 * Hand @b (filled with nr jobs whose src is set) to the workers. Without
 * workers the batch is compressed before this returns. At most
 * PAGE_POOL_QUEUE batches may be in flight.
 */
void page_pool_submit(struct page_pool *p, struct page_batch *b);
/* Wait until every job of a submitted @b has its result. */
void page_pool_wait(struct page_pool *p, struct page_batch *b);

#endif
