// SPDX-License-Identifier: MIT
/* The kernel's linked lists: insertion order, removal, splicing, iteration. */
#include <lksync/list.h>
#include "lksync_test.h"

struct item {
	int v;
	struct list_head node;
};

static int collect(struct list_head *head, int *out)
{
	struct item *it;
	int n = 0;

	list_for_each_entry(it, head, node)
		out[n++] = it->v;
	return n;
}

TEST(basic)
{
	struct list_head head = LIST_HEAD_INIT(head);
	struct item a = { .v = 1 }, b = { .v = 2 }, c = { .v = 3 }, *pos, *n;
	int v[8], k;

	CHECK(list_empty(&head));
	CHECK(list_empty_careful(&head));
	list_add_tail(&a.node, &head);
	CHECK(list_is_singular(&head));
	list_add_tail(&b.node, &head);
	list_add(&c.node, &head);		/* at the front */
	CHECK_EQ(list_count_nodes(&head), 3);
	k = collect(&head, v);
	CHECK_EQ(k, 3);
	CHECK(v[0] == 3 && v[1] == 1 && v[2] == 2);
	CHECK_EQ(list_first_entry(&head, struct item, node)->v, 3);
	CHECK_EQ(list_last_entry(&head, struct item, node)->v, 2);
	CHECK(list_is_first(&c.node, &head));
	CHECK(list_is_last(&b.node, &head));
	CHECK_EQ(list_next_entry(&c, node)->v, 1);
	CHECK_EQ(list_prev_entry(&b, node)->v, 1);
	list_move_tail(&c.node, &head);
	k = collect(&head, v);
	CHECK(v[0] == 1 && v[1] == 2 && v[2] == 3);
	list_del(&b.node);
	CHECK(b.node.next == LIST_POISON1 && b.node.prev == LIST_POISON2);
	CHECK_EQ(list_count_nodes(&head), 2);
	list_del_init(&a.node);
	CHECK(list_empty(&a.node));
	k = 0;
	list_for_each_entry_reverse(pos, &head, node)
		k++;
	CHECK_EQ(k, 1);
	list_for_each_entry_safe(pos, n, &head, node)
		list_del_init(&pos->node);
	CHECK(list_empty(&head));
	CHECK_EQ(list_first_entry_or_null(&head, struct item, node), NULL);
}

TEST(splice_replace)
{
	struct list_head h1 = LIST_HEAD_INIT(h1), h2 = LIST_HEAD_INIT(h2);
	struct item it[6];
	int v[8];

	for (int i = 0; i < 6; i++) {
		it[i].v = i;
		list_add_tail(&it[i].node, i < 3 ? &h1 : &h2);
	}
	list_splice_tail_init(&h2, &h1);
	CHECK(list_empty(&h2));
	CHECK_EQ(collect(&h1, v), 6);
	for (int i = 0; i < 6; i++)
		CHECK_EQ(v[i], i);
	list_splice_init(&h1, &h2);
	CHECK(list_empty(&h1));
	CHECK_EQ(list_count_nodes(&h2), 6);
	struct item x = { .v = 42 };
	list_replace_init(&it[2].node, &x.node);
	CHECK(list_empty(&it[2].node));
	collect(&h2, v);
	CHECK_EQ(v[2], 42);
	list_move(&it[5].node, &h2);
	collect(&h2, v);
	CHECK_EQ(v[0], 5);
}

int main(void)
{
	RUN(basic);
	RUN(splice_replace);
	return test_done();
}
