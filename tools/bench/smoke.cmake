# cmake -DBENCH=lksync-bench -DWORKDIR=dir [-DGNUPLOT=path] -P smoke.cmake
# Runs the benchmark briefly (4 threads: oversubscribed on 2 cores) and checks
# the shape of what it prints and writes; the numbers themselves are not judged.
cmake_minimum_required(VERSION 3.25)
file(REMOVE_RECURSE ${WORKDIR})
file(MAKE_DIRECTORY ${WORKDIR})
set(csv ${WORKDIR}/bench.csv)
set(png ${WORKDIR}/bench.png)
set(args --duration 0.02 --reps 2 --threads 1,4 --join-timeout 20 --csv ${csv})
if(GNUPLOT)
  list(APPEND args --plot ${png})
endif()

execute_process(COMMAND ${BENCH} ${args}
  OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 280)
message("${out}")
if(NOT rc EQUAL 0)
  message(FATAL_ERROR "lksync-bench exited with '${rc}':\n${err}")
endif()

foreach(section "== uncontended:" "== spin:" "== rw-read:" "== rw-mix:" "== seq:"
                "== atomic:" "== mutex-uncontended:" "== mutex:" "== sem:" "== sem-count:"
                "== rwsem-read:" "== rwsem-mix:" "== wakeup:" "== targets:"
                "pthread_spinlock_t" "pthread_rwlock_t" "plain read" "C11 atomic_fetch_add"
                "sem_t (1)" "futex wait/wake" "pthread_cond_t + mutex")
  string(FIND "${out}" "${section}" at)
  if(at EQUAL -1)
    message(FATAL_ERROR "output lacks '${section}'")
  endif()
endforeach()
if(NOT out MATCHES "targets: [0-9]+ passed, [0-9]+ failed, [0-9]+ not measured")
  message(FATAL_ERROR "output lacks the targets summary line")
endif()

file(STRINGS ${csv} lines)
list(LENGTH lines n)
if(n LESS 20)
  message(FATAL_ERROR "CSV has ${n} lines, expected a header and many rows")
endif()
list(POP_FRONT lines header)
if(NOT header STREQUAL "family,adapter,threads,mops,fairness,ns_per_op,reps")
  message(FATAL_ERROR "CSV header is '${header}'")
endif()
set(num "^[0-9]+(\\.[0-9]+)?([eE][-+]?[0-9]+)?$")
set(families "")
foreach(line IN LISTS lines)
  string(REPLACE "," ";" f "${line}")
  list(LENGTH f nf)
  if(NOT nf EQUAL 7)
    message(FATAL_ERROR "CSV row without 7 fields: '${line}'")
  endif()
  list(GET f 0 family)
  list(GET f 1 adapter)
  list(GET f 2 threads)
  list(GET f 3 mops)
  list(GET f 4 fairness)
  list(GET f 5 ns)
  list(GET f 6 reps)
  # thread counts: the --threads list, and 2 for the ping-pong of wakeup
  if(family STREQUAL "wakeup")
    set(want_threads "^2$")
  else()
    set(want_threads "^(1|4)$")
  endif()
  if(NOT family MATCHES "^[a-z-]+$" OR adapter STREQUAL "" OR NOT threads MATCHES "${want_threads}"
     OR NOT mops MATCHES "${num}" OR NOT fairness MATCHES "${num}"
     OR NOT (ns MATCHES "${num}" OR ns STREQUAL "inf") OR NOT reps STREQUAL "2")
    message(FATAL_ERROR "malformed CSV row: '${line}'")
  endif()
  if(fairness GREATER 1)
    message(FATAL_ERROR "fairness above 1: '${line}'")
  endif()
  list(APPEND families ${family})
endforeach()
list(REMOVE_DUPLICATES families)
foreach(want uncontended spin rw-read rw-mix seq atomic mutex-uncontended mutex sem
             sem-count rwsem-read rwsem-mix wakeup)
  if(NOT want IN_LIST families)
    message(FATAL_ERROR "CSV has no rows for family ${want}")
  endif()
endforeach()

if(GNUPLOT)
  file(READ ${png} magic LIMIT 4 HEX)
  if(NOT magic STREQUAL "89504e47")
    message(FATAL_ERROR "--plot did not write a PNG (${png})")
  endif()
endif()
# The data check must be able to fail: a "lock" that excludes nothing. Lost
# updates need two threads truly running at once, which a loaded machine may
# deny for a short window, so a few tries are allowed.
set(caught FALSE)
foreach(try RANGE 1 5)
  execute_process(COMMAND ${BENCH} --family spin --adapters broken --threads 4
                          --duration 0.1 --reps 1
    OUTPUT_VARIABLE out ERROR_VARIABLE err RESULT_VARIABLE rc TIMEOUT 60)
  # Under ThreadSanitizer (halt_on_error) the race report may end the run first.
  if(NOT rc EQUAL 0 AND (err MATCHES "lost update" OR err MATCHES "ThreadSanitizer: data race"))
    set(caught TRUE)
    break()
  endif()
endforeach()
if(NOT caught)
  message(FATAL_ERROR "the broken adapter was not caught (exit '${rc}'):\n${out}\n${err}")
endif()
message(STATUS "bench smoke: table, targets, ${n} CSV lines and the broken-lock check OK")
