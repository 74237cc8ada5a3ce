/* SPDX-License-Identifier: GPL-2.0 */
/*
 * Inside the generator: the request writer (gen.c), with its chaos, and
 * the grammar of the commands (grammar.c) that writes through it.
 */
#ifndef NLFUZZ_GEN_H
#define NLFUZZ_GEN_H

#include "nlfuzz.h"

#define NEST_MAX	8
#define NLA_LEN_MAX	0xffff

/**
 * struct gen - a request being written
 * @r: the random stream
 * @w: devices of the namespace
 * @m: the message
 * @chaos: percent chance that an attribute or nest is corrupted
 * @depth: open nests
 * @skipped: nests not opened for want of room, not to be closed
 * @nest: offsets of the open nests' headers
 * @maxtype: highest known attribute type at each level (0: top)
 */
struct gen {
	struct rng *r;
	const struct world *w;
	struct msg *m;
	unsigned int chaos;
	int depth;
	int skipped;
	size_t nest[NEST_MAX];
	uint16_t maxtype[NEST_MAX + 1];
};

/* gen.c: attributes and nests, each corrupted g->chaos percent of the time. */
bool gen_room(const struct gen *g, size_t len);
bool gen_put_raw(struct gen *g, uint16_t type, const void *data, size_t len);
void gen_put(struct gen *g, uint16_t type, const void *data, size_t len);
void gen_put_u8(struct gen *g, uint16_t type, uint8_t v);
void gen_put_u16(struct gen *g, uint16_t type, uint16_t v);
void gen_put_u32(struct gen *g, uint16_t type, uint32_t v);
void gen_put_str(struct gen *g, uint16_t type, const char *s);
void gen_nest(struct gen *g, uint16_t type, uint16_t maxtype);
void gen_nest_end(struct gen *g);
void gen_garbage(struct gen *g, unsigned int n, int depth);
void gen_flood(struct gen *g, uint16_t type, bool same_type);

/* grammar.c: the attributes of each command. */
void gen_body(struct gen *g, uint8_t cmd);
void gen_route(struct gen *g, uint8_t cmd);
void gen_extras(struct gen *g);

#endif
