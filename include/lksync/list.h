/* SPDX-License-Identifier: MIT */
/*
 * Layer: lib. Circular doubly linked lists, as linux/list.h: an embedded
 * struct list_head in each element, a head that is itself a list_head, and
 * the list_for_each_entry() family on container_of(). No locking: the user
 * serializes. list_del() poisons the entry so a use after removal faults.
 *
 * The kernel's LIST_HEAD(name) definition macro clashes with <sys/queue.h>;
 * it is provided by the kernel-compatible <linux/list.h> only. Native code
 * writes `struct list_head name = LIST_HEAD_INIT(name)`.
 */
#ifndef LKSYNC_LIST_H
#define LKSYNC_LIST_H

#include <stddef.h>
#include <stdbool.h>
#include <lksync/compiler.h>
#include <lksync/barrier.h>

#ifndef LKSYNC_LIST_HEAD_DEFINED
#define LKSYNC_LIST_HEAD_DEFINED
struct list_head {
	struct list_head *next, *prev;
};
#endif

/* Poison written by list_del(): non-NULL addresses that fault when followed. */
#define LIST_POISON1	((void *)0x100)
#define LIST_POISON2	((void *)0x122)

#define LIST_HEAD_INIT(name)	{ &(name), &(name) }

/* INIT_LIST_HEAD - make @list an empty list (or an unlinked entry). Context: any. */
static inline void INIT_LIST_HEAD(struct list_head *list)
{
	WRITE_ONCE(list->next, list);
	WRITE_ONCE(list->prev, list);
}

static inline void __list_add(struct list_head *new, struct list_head *prev,
			      struct list_head *next)
{
	next->prev = new;
	new->next = next;
	new->prev = prev;
	WRITE_ONCE(prev->next, new);
}

/* list_add - insert @new after @head (stack order). Context: any. */
static inline void list_add(struct list_head *new, struct list_head *head)
{
	__list_add(new, head, head->next);
}

/* list_add_tail - insert @new before @head (queue order). Context: any. */
static inline void list_add_tail(struct list_head *new, struct list_head *head)
{
	__list_add(new, head->prev, head);
}

static inline void __list_del(struct list_head *prev, struct list_head *next)
{
	next->prev = prev;
	WRITE_ONCE(prev->next, next);
}

static inline void __list_del_entry(struct list_head *entry)
{
	__list_del(entry->prev, entry->next);
}

/* list_del - unlink @entry and poison it. Context: any. */
static inline void list_del(struct list_head *entry)
{
	__list_del_entry(entry);
	entry->next = (struct list_head *)LIST_POISON1;
	entry->prev = (struct list_head *)LIST_POISON2;
}

/* list_del_init - unlink @entry and make it an empty list again. Context: any. */
static inline void list_del_init(struct list_head *entry)
{
	__list_del_entry(entry);
	INIT_LIST_HEAD(entry);
}

/*
 * list_del_init_careful - list_del_init() whose last store, with release
 * order, is the one list_empty_careful() tests: a lockless observer that
 * sees the entry empty also sees everything done before the removal, and
 * the remover never touches the entry again, so its owner may free it.
 */
static inline void list_del_init_careful(struct list_head *entry)
{
	__list_del_entry(entry);
	WRITE_ONCE(entry->prev, entry);
	/* Release: pairs with the acquire in list_empty_careful(). */
	__atomic_store_n(&entry->next, entry, __ATOMIC_RELEASE);
}

/* list_replace - put @new where @old is; @old is left dangling. Context: any. */
static inline void list_replace(struct list_head *old, struct list_head *new)
{
	new->next = old->next;
	new->next->prev = new;
	new->prev = old->prev;
	new->prev->next = new;
}

/* list_replace_init - list_replace() and reinitialize @old. Context: any. */
static inline void list_replace_init(struct list_head *old, struct list_head *new)
{
	list_replace(old, new);
	INIT_LIST_HEAD(old);
}

/* list_move - move @list to just after @head. Context: any. */
static inline void list_move(struct list_head *list, struct list_head *head)
{
	__list_del_entry(list);
	list_add(list, head);
}

/* list_move_tail - move @list to just before @head. Context: any. */
static inline void list_move_tail(struct list_head *list, struct list_head *head)
{
	__list_del_entry(list);
	list_add_tail(list, head);
}

/* list_is_first - is @list the first entry of @head? Return: true if so. */
static inline bool list_is_first(const struct list_head *list, const struct list_head *head)
{
	return list->prev == head;
}

/* list_is_last - is @list the last entry of @head? Return: true if so. */
static inline bool list_is_last(const struct list_head *list, const struct list_head *head)
{
	return list->next == head;
}

/* list_is_head - is @list the head @head itself? Return: true if so. */
static inline bool list_is_head(const struct list_head *list, const struct list_head *head)
{
	return list == head;
}

/* list_empty - does @head have no entries? Context: any. Return: true if empty. */
static inline bool list_empty(const struct list_head *head)
{
	return READ_ONCE(head->next) == head;
}

/*
 * list_empty_careful - list_empty() that also checks prev, for a lockless
 * test racing with list_del_init() on another CPU. Return: true if empty.
 */
static inline bool list_empty_careful(const struct list_head *head)
{
	/* Acquire: pairs with the list_del_init() that emptied it. */
	struct list_head *next = __atomic_load_n(&head->next, __ATOMIC_ACQUIRE);

	return list_is_head(next, head) && next == READ_ONCE(head->prev);
}

/* list_is_singular - does @head have exactly one entry? Return: true if so. */
static inline bool list_is_singular(const struct list_head *head)
{
	return !list_empty(head) && head->next == head->prev;
}

static inline void __list_splice(const struct list_head *list,
				 struct list_head *prev, struct list_head *next)
{
	struct list_head *first = list->next, *last = list->prev;

	first->prev = prev;
	prev->next = first;
	last->next = next;
	next->prev = last;
}

/* list_splice - join @list's entries at the front of @head (@list is left stale). */
static inline void list_splice(const struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head, head->next);
}

/* list_splice_tail - join @list's entries at the end of @head (@list is left stale). */
static inline void list_splice_tail(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list))
		__list_splice(list, head->prev, head);
}

/* list_splice_init - list_splice() and reinitialize @list. */
static inline void list_splice_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head, head->next);
		INIT_LIST_HEAD(list);
	}
}

/* list_splice_tail_init - list_splice_tail() and reinitialize @list. */
static inline void list_splice_tail_init(struct list_head *list, struct list_head *head)
{
	if (!list_empty(list)) {
		__list_splice(list, head->prev, head);
		INIT_LIST_HEAD(list);
	}
}

/* list_count_nodes - count the entries of @head. Return: the count. */
static inline size_t list_count_nodes(const struct list_head *head)
{
	size_t n = 0;

	for (const struct list_head *p = head->next; p != head; p = p->next)
		n++;
	return n;
}

#define list_entry(ptr, type, member)		container_of(ptr, type, member)
#define list_first_entry(ptr, type, member)	list_entry((ptr)->next, type, member)
#define list_last_entry(ptr, type, member)	list_entry((ptr)->prev, type, member)
#define list_first_entry_or_null(ptr, type, member) ({				\
	struct list_head *__head = (ptr);					\
	struct list_head *__pos = READ_ONCE(__head->next);			\
	__pos != __head ? list_entry(__pos, type, member) : NULL; })
#define list_next_entry(pos, member)						\
	list_entry((pos)->member.next, __typeof__(*(pos)), member)
#define list_prev_entry(pos, member)						\
	list_entry((pos)->member.prev, __typeof__(*(pos)), member)
#define list_entry_is_head(pos, head, member)	(&(pos)->member == (head))

#define list_for_each(pos, head)						\
	for (pos = (head)->next; !list_is_head(pos, (head)); pos = pos->next)
#define list_for_each_prev(pos, head)						\
	for (pos = (head)->prev; !list_is_head(pos, (head)); pos = pos->prev)
#define list_for_each_safe(pos, n, head)					\
	for (pos = (head)->next, n = pos->next; !list_is_head(pos, (head));	\
	     pos = n, n = pos->next)
#define list_for_each_entry(pos, head, member)					\
	for (pos = list_first_entry(head, __typeof__(*pos), member);		\
	     !list_entry_is_head(pos, head, member);				\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_reverse(pos, head, member)				\
	for (pos = list_last_entry(head, __typeof__(*pos), member);		\
	     !list_entry_is_head(pos, head, member);				\
	     pos = list_prev_entry(pos, member))
#define list_for_each_entry_continue(pos, head, member)				\
	for (pos = list_next_entry(pos, member);				\
	     !list_entry_is_head(pos, head, member);				\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_from(pos, head, member)				\
	for (; !list_entry_is_head(pos, head, member);				\
	     pos = list_next_entry(pos, member))
#define list_for_each_entry_safe(pos, n, head, member)				\
	for (pos = list_first_entry(head, __typeof__(*pos), member),		\
	     n = list_next_entry(pos, member);					\
	     !list_entry_is_head(pos, head, member);				\
	     pos = n, n = list_next_entry(n, member))

#endif /* LKSYNC_LIST_H */
