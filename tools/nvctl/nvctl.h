/* SPDX-License-Identifier: GPL-2.0 */
#ifndef NVCTL_H
#define NVCTL_H

#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>

/* Exit statuses. */
#define EXIT_OK		0
#define EXIT_FAIL	1
#define EXIT_USAGE	2

/**
 * struct nvctl - the options before the object
 * @json: -j
 * @netns: -n NAME, or NULL
 * @stamp: -t or -ts, an enum stamp of monitor.h
 * @batch: -b: the arguments that follow are a batch's
 */
struct nvctl {
	bool json;
	const char *netns;
	int stamp;
	bool batch;
};

/* One object of the grammar: `nvctl OBJECT ...`. */
struct nvctl_object {
	const char *name;
	int (*run)(struct nvctl *ctl, int argc, char **argv);
	void (*usage)(FILE *out);
};

int nvctl_main(int argc, char **argv);
int nvctl_run_line(struct nvctl *ctl, int argc, char **argv);
int batch_run(struct nvctl *ctl, FILE *f, const char *name, bool check,
	      const uint64_t *gen);

int do_version(struct nvctl *ctl, int argc, char **argv);
int do_info(struct nvctl *ctl, int argc, char **argv);
int do_tenant(struct nvctl *ctl, int argc, char **argv);
int do_port(struct nvctl *ctl, int argc, char **argv);
int do_route(struct nvctl *ctl, int argc, char **argv);
int do_host(struct nvctl *ctl, int argc, char **argv);
int do_uplink(struct nvctl *ctl, int argc, char **argv);
int do_stats(struct nvctl *ctl, int argc, char **argv);
int do_fw(struct nvctl *ctl, int argc, char **argv);
int do_nat(struct nvctl *ctl, int argc, char **argv);
int do_monitor(struct nvctl *ctl, int argc, char **argv);
int do_batch(struct nvctl *ctl, int argc, char **argv);
int do_save(struct nvctl *ctl, int argc, char **argv);
int do_diff(struct nvctl *ctl, int argc, char **argv);
int do_sync(struct nvctl *ctl, int argc, char **argv);
void usage_version(FILE *out);
void usage_info(FILE *out);
void usage_tenant(FILE *out);
void usage_port(FILE *out);
void usage_route(FILE *out);
void usage_host(FILE *out);
void usage_uplink(FILE *out);
void usage_stats(FILE *out);
void usage_fw(FILE *out);
void usage_nat(FILE *out);
void usage_monitor(FILE *out);
void usage_batch(FILE *out);
void usage_save(FILE *out);

#endif
