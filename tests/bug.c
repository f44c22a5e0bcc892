// SPDX-License-Identifier: MIT
/* WARN_ON/WARN/WARN_ON_ONCE return values and the report text and sink. */
#include <lksync/bug.h>
#include "lksync_test.h"

TEST(warn_on_returns_condition)
{
	int before = test_reports;

	CHECK_EQ(WARN_ON(0), 0);
	CHECK_EQ(test_reports, before);
	CHECK_EQ(WARN_ON(5), 1);
	CHECK_EQ(test_reports, before + 1);
	CHECK(strstr(test_last_report, "------------[ cut here ]------------") == test_last_report);
	CHECK(strstr(test_last_report, "WARNING: CPU: ") != NULL);
	CHECK(strstr(test_last_report, "bug.c:") != NULL);
	CHECK(strstr(test_last_report, "---[ end trace") != NULL);
}

TEST(warn_message)
{
	CHECK_EQ(WARN(1, "value %d out of range", 42), 1);
	CHECK(strstr(test_last_report, "value 42 out of range\n") != NULL);
}

TEST(warn_once_reports_once)
{
	int before = test_reports;

	for (int i = 0; i < 3; i++)
		CHECK_EQ(WARN_ON_ONCE(1), 1);
	CHECK_EQ(test_reports, before + 1);
	for (int i = 0; i < 3; i++)
		CHECK_EQ(WARN_ONCE(i >= 0, "once %d", i), 1);
	CHECK_EQ(test_reports, before + 2);
	CHECK(strstr(test_last_report, "once 0") != NULL);
}

TEST(report_count_and_default_sink)
{
	unsigned long n = lksync_report_count();

	CHECK(lksync_set_report_sink(NULL, NULL) == test_report_sink);
	WARN(1, "this warning goes to stderr on purpose");
	CHECK_EQ(lksync_report_count(), n + 1);
	lksync_set_report_sink(test_report_sink, NULL);
}

int main(void)
{
	test_watchdog(60);
	lksync_set_report_sink(test_report_sink, NULL);
	RUN(warn_on_returns_condition);
	RUN(warn_message);
	RUN(warn_once_reports_once);
	RUN(report_count_and_default_sink);
	return test_done();
}
