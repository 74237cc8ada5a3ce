/* SPDX-License-Identifier: GPL-2.0 */
/*
 * The classifier's builder, shared by its parts: the rules and the
 * classifier's assembly (fw_cls_build.c), the sets rules name
 * (fw_cls_set.c), the cuts of a node (fw_cls_cut.c) and the trees
 * (fw_cls_tree.c).
 */
#ifndef _NV_FW_CLS_BUILD_H
#define _NV_FW_CLS_BUILD_H

#include "array.h"
#include "fw_cls_priv.h"

/*
 * Categories, and so trees: by the first of four fields a rule is
 * specific on, a destination host apart.
 */
enum { C_HOST, C_DST, C_SRC, C_SLOT, C_DPORT, C_REST, CATS };

/*
 * Destination tables: at most this many, one per prefix length that at
 * least TAB_MIN rules name as their destination.
 */
#define TABS		8

#define CHILDREN	BIT(NV_FWC_STRIDE)
#define BM_WORDS	(CHILDREN / 64)
#define DEDUP_SLOTS	(2 * CHILDREN)

/* Where a set-like field (S_*) lies in the key: its first word. */
static inline u32 bset_word(u32 s)
{
	static const u8 word[BSETS] = { 0, 2, W_MISC, W_MISC, W_MISC };

	return word[s];
}

/* How many key words a set-like field takes. */
static inline u32 bset_words(u32 s)
{
	static const u8 words[BSETS] = { 2, 2, 1, 1, 1 };

	return words[s];
}

/* A prefix in the words of its field: a value and a mask. */
struct bpfx {
	u64 val[2];
	u64 mask[2];
};

/*
 * The packets that reach a node: key bits fixed by the cuts above (and
 * by the forest: IPv4 keys), and whether they are IPv6 keys.
 */
struct cube {
	u64 val[WORDS];
	u64 mask[WORDS];
	bool v6;
};

/* A cut: @bits key bits from bit @shift (from the top) of @word. */
struct cut {
	u8 word;
	u8 shift;
	u8 bits;
	u8 bset;
};

/* What the builder knows of a rule beyond its compiled form. */
struct brule {
	u32 pfx[SETS];		/* a set's prefixes, in b->pfx */
	u8 npfx[SETS];
	u8 lists;		/* BIT(S_*): the field is a prefix list */
	u8 cat;
	u8 forests;		/* BIT(F_*): keys of that family it may match */
};

/* A rule in (prio, handle) order. */
struct bord {
	u32 prio;
	u32 handle;
	u32 index;
};

/* A node whose children are still to be made. */
struct pending {
	struct cube cube;
	struct cut cut;
	u32 list;		/* its rules, in b->pool */
	u32 n;
	u32 pool_end;		/* the pool's top when it was made */
	u32 node;		/* its header, in b->nodes */
	u32 depth;		/* inner nodes down to it, itself included */
	u64 reserve;		/* words its children may take */
};

struct fwc_bld {
	gfp_t gfp;
	const struct nv_fwc_rule *in;
	u32 nin;
	struct bord *ord;
	u32 *setid;		/* by sorted position and S_* */
	struct fwc_rule *rules;
	struct brule *br;
	u32 nrules;
	struct fwc_ivl *ivls;
	u32 nivls;
	struct fwc_set *sets;
	u32 nsets;
	u32 *set_pfx;		/* a set's prefixes for the trees, in pfx */
	u8 *set_npfx;		/* how many; 0: too many, or none */
	struct bpfx *pfx;
	u32 npfx;
	NV_DECLARE_ARRAY(nodes, u32);
	NV_DECLARE_ARRAY(leaves, u32);
	NV_DECLARE_ARRAY(pool, u32);
	NV_DECLARE_ARRAY(stack, struct pending);
	u64 budget;
	u64 reserved;		/* words pending nodes may still take */
	u32 tree_first[FORESTS * (CATS + TABS)];
	u32 ntrees;
	u32 forest[FORESTS + 1];
	struct fwc_dtab tabs[FORESTS * TABS];
	u32 ntabs;
	NV_DECLARE_ARRAY(slots, struct fwc_dslot);
	struct nv_fwc_stats st;
	u32 ecnt[CHILDREN];	/* cut_eval()'s */
	u32 scnt[CHILDREN];	/* node_split()'s */
	u32 soff[CHILDREN];
	u32 sref[CHILDREN];
	u64 sown[BM_WORDS];	/* children whose cube some rule's list sees */
	u32 dedup_gen;
	u32 dedup_tag[DEDUP_SLOTS];
	u16 dedup_child[DEDUP_SLOTS];
};

/* 128-bit values as two words, high first. */
static inline bool w128_lt(const u64 *a, const u64 *b)
{
	return a[0] < b[0] || (a[0] == b[0] && a[1] < b[1]);
}

static inline void prefix_mask(u32 len, u64 *mask)
{
	mask[0] = len >= 64 ? ~0ULL : len ? ~0ULL << (64 - len) : 0;
	mask[1] = len >= 128 ? ~0ULL : len > 64 ? ~0ULL << (128 - len) : 0;
}

int fwc_sets_build(struct fwc_bld *b);
bool fwc_cut_choose(struct fwc_bld *b, u32 list, u32 n, const struct cube *c,
		    struct cut *best, u64 *sum);
int fwc_children_fill(struct fwc_bld *b, const struct pending *p);
void fwc_leaf_entries(const struct fwc_bld *b, u32 list, u32 n,
		      const struct cube *c, u32 *w);
int fwc_trees_build(struct fwc_bld *b);

#endif /* _NV_FW_CLS_BUILD_H */
