// SPDX-License-Identifier: MIT
/* WARN_ON/WARN/WARN_ON_ONCE return values and the report text and sink. */
#include <lksync/bug.h>
#include "lksync_test.h"

static char last[8192];
static int reports;
static void sink(const char *text, void *arg)
{
	(void)arg;
	snprintf(last, sizeof(last), "%s", text);
	reports++;
}

TEST(warn_on_returns_condition)
{
	int before = reports;

	CHECK_EQ(WARN_ON(0), 0);
	CHECK_EQ(reports, before);
	CHECK_EQ(WARN_ON(5), 1);
	CHECK_EQ(reports, before + 1);
	CHECK(strstr(last, "------------[ cut here ]------------") == last);
	CHECK(strstr(last, "WARNING: CPU: ") != NULL);
	CHECK(strstr(last, "bug.c:") != NULL);
	CHECK(strstr(last, "---[ end trace") != NULL);
}

TEST(warn_message)
{
	CHECK_EQ(WARN(1, "value %d out of range", 42), 1);
	CHECK(strstr(last, "value 42 out of range\n") != NULL);
}

TEST(warn_once_reports_once)
{
	int before = reports;

	for (int i = 0; i < 3; i++)
		CHECK_EQ(WARN_ON_ONCE(1), 1);
	CHECK_EQ(reports, before + 1);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(WARN_ONCE(i >= 0, "once %d", i), 1);
	CHECK_EQ(reports, before + 2);
	CHECK(strstr(last, "once 0") != NULL);
}

TEST(report_count_and_default_sink)
{
	unsigned long n = lksync_report_count();

	CHECK(lksync_set_report_sink(NULL, NULL) == sink);
	WARN(1, "this warning goes to stderr on purpose");
	CHECK_EQ(lksync_report_count(), n + 1);
	lksync_set_report_sink(sink, NULL);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(sink, NULL);
	RUN(warn_on_returns_condition);
	RUN(warn_message);
	RUN(warn_once_reports_once);
	RUN(report_count_and_default_sink);
	return test_done();
}
