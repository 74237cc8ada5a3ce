// SPDX-License-Identifier: GPL-2.0
/*
 * The classifier's cuts: which key bits a node cuts, judged on a sample
 * of its rules, and the lists of rules its children get.
 */
#include <linux/bitops.h>
#include <linux/minmax.h>
#include <linux/string.h>

#include "fw_cls_build.h"

/*
 * A cut may put this many times the node's rule references (a rule
 * counting as the prefixes of its list on the field cut) in its
 * children, and must leave the most crowded one with 1/PROGRESS of them
 * fewer: a third, so that rules no cut separates end in a leaf soon
 * instead of being copied down many levels, while a cut that sets a
 * third of the rules apart (one protocol, one subnet) is still made.
 */
#define SPACE_FACTOR	4
#define PROGRESS	3

/*
 * Rules of a node a cut is judged on, at most (a larger sample judges
 * the upper nodes no better and costs every node); bits to count them.
 */
#define EVAL_SAMPLE	32
#define COUNT_SLICES	8

/*
 * What a node may cut: the fields, each within one key word. A cut never
 * crosses from one field to the next.
 */
struct fwc_seg {
	u8 word;
	u8 off;
	u8 bits;
	u8 bset;	/* S_*, or BSETS: a plain value */
};

static const struct fwc_seg segs[] = {
	{ 2, 0, 64, S_DST }, { 3, 0, 64, S_DST },
	{ 0, 0, 64, S_SRC }, { 1, 0, 64, S_SRC },
	{ W_MISC, SLOT_OFF, SLOT_BITS, S_SLOT },
	{ W_MISC, PROTO_OFF, 8, BSETS },
	{ W_MISC, SPORT_OFF, 16, S_SPORT },
	{ W_MISC, DPORT_OFF, 16, S_DPORT },
	{ W_MISC, TYPE_OFF, 8, BSETS },
};

/* Prefix lists */

/* A rule's prefixes of a list field, one at a time. */
struct pfx_iter {
	const struct bpfx *p;	/* a set's */
	const struct bpfx *end;
	u32 lo;			/* or what is left of a port range */
	u32 hi;
	u32 shift;
	struct bpfx cur;
};

static void iter_init(struct pfx_iter *it, const struct fwc_bld *b, u32 pos,
		      u32 s)
{
	const struct brule *br = &b->br[pos];
	const struct fwc_ports *port;

	if (s < SETS) {
		it->p = &b->pfx[br->pfx[s]];
		it->end = it->p + br->npfx[s];
		return;
	}
	port = &b->rules[pos].port[s - S_SPORT];
	it->p = NULL;
	it->lo = port->lo;
	it->hi = (u32)port->lo + port->span;
	it->shift = 48 - (s == S_SPORT ? SPORT_OFF : DPORT_OFF);
	it->cur.val[1] = 0;
	it->cur.mask[1] = 0;
}

/* A range's prefixes: the largest aligned block at its start, in turn. */
static const struct bpfx *iter_next(struct pfx_iter *it)
{
	u32 size;

	if (it->p)
		return it->p < it->end ? it->p++ : NULL;
	if (it->lo > it->hi)
		return NULL;
	size = it->lo ? it->lo & -it->lo : BIT(16);
	while (it->lo + size - 1 > it->hi)
		size >>= 1;
	it->cur.val[0] = (u64)it->lo << it->shift;
	it->cur.mask[0] = (u64)(U16_MAX & ~(size - 1)) << it->shift;
	it->lo += size;
	return &it->cur;
}

/* Whether an address prefix lies in the IPv4-mapped space. */
static bool pfx_is_v4(const struct bpfx *p)
{
	return p->mask[0] == ~0ULL &&
	       (p->mask[1] & V4_HI_MASK) == V4_HI_MASK && addr_is_v4(p->val);
}

/* Whether some packet of the cube has its field in the prefix. */
static __always_inline bool pfx_fits(const struct bpfx *p, const struct cube *c,
				     u32 s)
{
	u32 w = bset_word(s);
	u64 x = (p->val[0] ^ c->val[w]) & p->mask[0] & c->mask[w];

	if (bset_words(s) > 1)
		x |= (p->val[1] ^ c->val[w + 1]) & p->mask[1] & c->mask[w + 1];
	return !x && !(c->v6 && s <= S_DST && pfx_is_v4(p));
}

/* Whether every packet of the cube has its field in the prefix. */
static bool pfx_holds(const struct bpfx *p, const struct cube *c, u32 s)
{
	u32 w = bset_word(s);
	u64 x = p->mask[0] & ~c->mask[w];

	if (bset_words(s) > 1)
		x |= p->mask[1] & ~c->mask[w + 1];
	return !x && pfx_fits(p, c, s);
}

/* Whether the cube's packets are all in the rule's set @s. */
static bool set_implied(const struct fwc_bld *b, u32 pos, u32 s,
			const struct cube *c)
{
	const struct bpfx *p;
	struct pfx_iter it;

	if (!(b->br[pos].lists & BIT(s)))
		return false;
	iter_init(&it, b, pos, s);
	while ((p = iter_next(&it)))
		if (pfx_holds(p, c, s))
			return true;
	return false;
}

static u32 leaf_entry(const struct fwc_bld *b, u32 pos, const struct cube *c)
{
	u32 s, e = pos;

	for (s = 0; s < SETS; s++)
		if (b->rules[pos].set[s] != NO_SET &&
		    !set_implied(b, pos, s, c))
			e |= E_SET(s);
	return e;
}

/*
 * The entries of a leaf for the @n rules at @list in the pool, to @w:
 * each rule's position and the sets a lookup must still test, all but
 * those every packet of the leaf's cube is in.
 */
void fwc_leaf_entries(const struct fwc_bld *b, u32 list, u32 n,
		      const struct cube *c, u32 *w)
{
	u32 i;

	for (i = 0; i < n; i++)
		w[i] = leaf_entry(b, b->pool.v[list + i], c);
}

/* Children bitmaps */

/* The @bits bits of @x a cut takes, as a child index. */
static u32 cut_bits(const struct cut *cut, u64 x)
{
	return (x << cut->shift) >> (64 - cut->bits);
}

/* Marks the children whose index is @v on the bits of @m. */
static void bm_fill(u64 *bm, u32 bits, u32 v, u32 m)
{
	u32 all = BIT(bits) - 1, free = ~m & all, sub;

	if (free == all) {
		if (bits >= 6)
			memset(bm, 0xff, BIT(bits) / 8);
		else
			bm[0] |= BIT_ULL(BIT(bits)) - 1;
		return;
	}
	v &= m & all;
	for (sub = free; ; sub = (sub - 1) & free) {
		bm[(v | sub) / 64] |= BIT_ULL((v | sub) % 64);
		if (!sub)
			break;
	}
}

/* The children of a cut a rule goes to: those it may match in. */
static void rule_children(const struct fwc_bld *b, u32 pos,
			  const struct cube *c, const struct cut *cut, u64 *bm)
{
	const struct fwc_rule *r = &b->rules[pos];
	const struct bpfx *p;
	struct pfx_iter it;
	u32 wi;

	memset(bm, 0, BM_WORDS * sizeof(*bm));
	if (cut->bset >= BSETS || !(b->br[pos].lists & BIT(cut->bset))) {
		bm_fill(bm, cut->bits, cut_bits(cut, r->val[cut->word]),
			cut_bits(cut, r->mask[cut->word]));
		return;
	}
	wi = cut->word - bset_word(cut->bset);
	iter_init(&it, b, pos, cut->bset);
	while ((p = iter_next(&it)))
		if (pfx_fits(p, c, cut->bset))
			bm_fill(bm, cut->bits, cut_bits(cut, p->val[wi]),
				cut_bits(cut, p->mask[wi]));
}

/* Words of a bitmap of 2^@bits children. */
static u32 bm_words(u32 bits)
{
	return bits > 6 ? BIT(bits - 6) : 1;
}

static u32 bm_weight(const u64 *bm, u32 bits)
{
	u32 i, n = 0;

	for (i = 0; i < bm_words(bits); i++)
		n += hweight64(bm[i]);
	return n;
}

/* The lowest child marked, which it unmarks; or -1 for none. */
static int bm_next(u64 *bm, u32 bits)
{
	u32 i;

	for (i = 0; i < bm_words(bits); i++) {
		if (bm[i]) {
			int c = fls64(bm[i] & -bm[i]) - 1;

			bm[i] &= bm[i] - 1;
			return i * 64 + c;
		}
	}
	return -1;
}

/* Cuts */

/* 64 counters in bit slices: adding a word counts each of its bits. */
struct bit_counts {
	u64 slice[COUNT_SLICES];
};

static void counts_add(struct bit_counts *bc, u64 x)
{
	u32 i;

	for (i = 0; i < COUNT_SLICES && x; i++) {
		u64 carry = bc->slice[i] & x;

		bc->slice[i] ^= x;
		x = carry;
	}
}

/* The bits some sample counted. */
static u64 counts_any(const struct bit_counts *bc)
{
	u64 any = 0;
	u32 i;

	for (i = 0; i < COUNT_SLICES; i++)
		any |= bc->slice[i];
	return any;
}

static u32 counts_get(const struct bit_counts *bc, u32 bit)
{
	u32 i, n = 0;

	for (i = 0; i < COUNT_SLICES; i++)
		n |= (u32)(bc->slice[i] >> bit & 1) << i;
	return n;
}

/* How many sampled rules fix each bit of a segment's word to 1, to 0. */
static void seg_counts(const struct fwc_bld *b, u32 list, u32 n, u32 step,
		       const struct cube *c, const struct fwc_seg *seg,
		       struct bit_counts *ones, struct bit_counts *zeros)
{
	u32 i, wi = seg->word - (seg->bset < BSETS ? bset_word(seg->bset) : 0);

	memset(ones, 0, sizeof(*ones));
	memset(zeros, 0, sizeof(*zeros));
	for (i = 0; i < n; i += step) {
		u32 pos = b->pool.v[list + i];
		const struct fwc_rule *r = &b->rules[pos];
		const struct bpfx *p;
		struct pfx_iter it;

		if (seg->bset >= BSETS || !(b->br[pos].lists & BIT(seg->bset))) {
			counts_add(ones, r->val[seg->word] & r->mask[seg->word]);
			counts_add(zeros, ~r->val[seg->word] & r->mask[seg->word]);
			continue;
		}
		iter_init(&it, b, pos, seg->bset);
		while ((p = iter_next(&it))) {
			if (!pfx_fits(p, c, seg->bset))
				continue;
			counts_add(ones, p->val[wi] & p->mask[wi]);
			counts_add(zeros, ~p->val[wi] & p->mask[wi]);
		}
	}
}

/*
 * Where a segment's cut may start: the first bit, from the top, that
 * splits the rules about as evenly as the best one does, and the first
 * that splits them at all (a cut from there may separate more, as when
 * most rules share a prefix that a few leave early). False if no bit
 * splits them.
 */
static bool seg_split_bits(const struct fwc_bld *b, u32 list, u32 n, u32 step,
			   const struct cube *c, const struct fwc_seg *seg,
			   u32 *even, u32 *top)
{
	u64 open = ~c->mask[seg->word] &
		   GENMASK_ULL(63 - seg->off, 64 - seg->off - seg->bits);
	struct bit_counts ones, zeros;
	u32 bal[64], best = 0, i;

	seg_counts(b, list, n, step, c, seg, &ones, &zeros);
	open &= counts_any(&ones) & counts_any(&zeros);
	if (!open)
		return false;
	*top = 64 - fls64(open);
	for (i = *top; i < seg->off + seg->bits; i++) {
		bal[i] = 0;
		if (open & BIT_ULL(63 - i))
			bal[i] = min(counts_get(&ones, 63 - i),
				     counts_get(&zeros, 63 - i));
		best = max(best, bal[i]);
	}
	for (i = *top; 2 * bal[i] < best; i++)
		;
	*even = i;
	return true;
}

/* A cut of a segment from bit @first, up to @max bits, none fixed. */
static void cut_place(const struct cube *c, const struct fwc_seg *seg,
		      u32 first, u32 max, struct cut *cut)
{
	u32 bits = min_t(u32, max, seg->off + seg->bits - first);

	while (bits > 1 && (c->mask[seg->word] &
			    GENMASK_ULL(63 - first, 64 - first - bits)))
		bits--;
	cut->word = seg->word;
	cut->shift = first;
	cut->bits = bits;
	cut->bset = seg->bset;
}

/*
 * The prefixes a rule stands for on field @bset (S_*, or BSETS for a
 * plain value): those of its list there that the node's packets may
 * have, else one.
 */
static u32 rule_weight(const struct fwc_bld *b, u32 pos, const struct cube *c,
		       u32 bset)
{
	const struct bpfx *p;
	struct pfx_iter it;
	u32 w = 0;

	if (bset >= BSETS || !(b->br[pos].lists & BIT(bset)))
		return 1;
	iter_init(&it, b, pos, bset);
	while ((p = iter_next(&it)))
		w += pfx_fits(p, c, bset);
	return max(w, 1U);
}

/*
 * Rule references the cut's children would hold, and the most one would,
 * on the sampled rules; a rule in every child is counted once for max.
 */
static void cut_eval(struct fwc_bld *b, u32 list, u32 n, u32 step,
		     const struct cube *c, const struct cut *cut, u64 *sum,
		     u32 *max)
{
	u32 i, nch = BIT(cut->bits), all = 0;
	u64 bm[BM_WORDS];
	int ch;

	memset(b->ecnt, 0, nch * sizeof(*b->ecnt));
	*sum = 0;
	*max = 0;
	for (i = 0; i < n; i += step) {
		u32 w;

		rule_children(b, b->pool.v[list + i], c, cut, bm);
		w = bm_weight(bm, cut->bits);
		*sum += w;
		if (w == nch) {
			all++;
			continue;
		}
		while ((ch = bm_next(bm, cut->bits)) >= 0)
			*max = max(*max, ++b->ecnt[ch]);
	}
	*max += all;
}

/*
 * A segment's cut with the most bits, up to @cut->bits, whose children
 * hold at most SPACE_FACTOR times the node's references (HiCuts' space
 * factor), a rule counting as the prefixes it stands for (@weight, of
 * the sampled rules): wide cuts of fields many rules leave open cost the
 * most, while a group's rule goes to the children of its prefixes.
 */
static bool cut_size(struct fwc_bld *b, u32 list, u32 n, u32 step,
		     const struct cube *c, u64 weight, struct cut *cut,
		     u64 *refs, u32 *most)
{
	u32 samples = (n + step - 1) / step;

	for (;;) {
		cut_eval(b, list, n, step, c, cut, refs, most);
		if (*refs * n / samples + BIT(cut->bits) <=
		    (u64)SPACE_FACTOR * weight * n / samples)
			return true;
		if (cut->bits == 1)
			return false;
		cut->bits = (cut->bits + 1) / 2;
	}
}

/*
 * The best cut of a node, if one is worth it: the one leaving the most
 * crowded child the fewest rules, then the fewest references in all;
 * it must leave that child with a fraction of the node's rules.
 * @sum: its references, estimated.
 */
bool fwc_cut_choose(struct fwc_bld *b, u32 list, u32 n, const struct cube *c,
		    struct cut *best, u64 *sum)
{
	u32 step = max(n / EVAL_SAMPLE, 1U), samples = (n + step - 1) / step;
	u32 bits = min_t(u32, max(fls(n / NV_FWC_LEAF_RULES), 1),
			 NV_FWC_STRIDE);
	u64 best_score = ~0ULL, refs, score, weight;
	u32 i, j, k, most, first[2];
	struct cut cut;

	for (i = 0; i < ARRAY_SIZE(segs); i++) {
		if (!seg_split_bits(b, list, n, step, c, &segs[i], &first[0],
				    &first[1]))
			continue;
		for (weight = 0, j = 0; j < n; j += step)
			weight += rule_weight(b, b->pool.v[list + j], c,
					      segs[i].bset);
		for (k = 0; k < 2 && (!k || first[1] != first[0]); k++) {
			cut_place(c, &segs[i], first[k], bits, &cut);
			if (!cut_size(b, list, n, step, c, weight, &cut, &refs,
				      &most) ||
			    most > samples - samples / PROGRESS - 1)
				continue;
			score = (u64)most << 32 | refs;
			if (score < best_score) {
				best_score = score;
				*best = cut;
				*sum = refs * n / samples;
			}
		}
	}
	return best_score != ~0ULL;
}

/* Making a cut */

/* Puts the node's rules in its children's lists, at the pool's top. */
int fwc_children_fill(struct fwc_bld *b, const struct pending *p)
{
	u32 i, nch = BIT(p->cut.bits), total = 0;
	u64 bm[BM_WORDS];
	int ch, ret;

	memset(b->scnt, 0, nch * sizeof(*b->scnt));
	memset(b->sown, 0, sizeof(b->sown));
	for (i = 0; i < p->n; i++) {
		u32 pos = b->pool.v[p->list + i];
		bool own = p->cut.bset < BSETS &&
			   (b->br[pos].lists & BIT(p->cut.bset));

		rule_children(b, pos, &p->cube, &p->cut, bm);
		while ((ch = bm_next(bm, p->cut.bits)) >= 0) {
			b->scnt[ch]++;
			if (own)
				b->sown[ch / 64] |= BIT_ULL(ch % 64);
		}
	}
	for (i = 0; i < nch; i++) {
		b->soff[i] = b->pool.n + total;
		total += b->scnt[i];
		b->scnt[i] = 0;
	}
	ret = nv_array_reserve(&b->pool, total, b->gfp);
	if (ret)
		return ret;
	for (i = 0; i < p->n; i++) {
		u32 pos = b->pool.v[p->list + i];

		rule_children(b, pos, &p->cube, &p->cut, bm);
		while ((ch = bm_next(bm, p->cut.bits)) >= 0)
			b->pool.v[b->soff[ch] + b->scnt[ch]++] = pos;
	}
	b->pool.n += total;
	return 0;
}
