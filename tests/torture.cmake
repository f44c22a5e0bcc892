# The lock torture tester (tools/torture, docs/torture.md):
#   torture         every lock type for 2 s each must pass;
#   torture_signals the sleeping types with send_sig() at their waiters (1 s
#                   each): interrupted acquisitions must not acquire;
#   torture_irqs    interrupts injected (--irqs, 0.5 s per type) into the
#                   types with an interrupt side (handlers and tasklets take
#                   the lock) and a few without (handlers interrupt holders
#                   and sleepers); nothing may deadlock or break exclusion;
#   torture_busted  the deliberately broken lock must be caught: proof that
#                   the checker can fail. Runs this file in script mode
#                   (cmake -P) to require a non-zero exit *and* the report;
#   torture_irq_busted  tasks take a plain spin_lock() that the interrupt
#                   handler takes too: the run must end, within seconds, with
#                   a stall and a DEADLOCK report (script mode as well). Not
#                   in the uniprocessor build, whose spinlocks do not spin.
# In the uniprocessor build spinlocks are bookkeeping only (as with
# CONFIG_SMP=n) and exclude no threads, so there the run uses one writer, or
# readers only, and checks the preemption/irq/bh state of every variant.

if(CMAKE_SCRIPT_MODE_FILE AND CASE STREQUAL "irq_busted")
  # cmake -DTORTURE=<exe> -DCASE=irq_busted -P torture.cmake
  # --stall 2 ends the deadlocked run; the timeout is only a safety net.
  execute_process(COMMAND ${TORTURE} --duration 10 --stall 2 --types spin_lock_irq_busted --quiet
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err TIMEOUT 40)
  message("${out}")
  if(rc EQUAL 0)
    message(FATAL_ERROR "spin_lock_irq_busted did not deadlock: plain spin_lock() against its handler passed")
  endif()
  if(NOT out MATCHES "STALL" OR NOT out MATCHES "DEADLOCK" OR NOT out MATCHES "End of test: FAILURE")
    message(FATAL_ERROR "spin_lock_irq_busted failed (rc ${rc}) without a STALL/DEADLOCK report:\n${err}")
  endif()
  return()
elseif(CMAKE_SCRIPT_MODE_FILE)
  # cmake -DTORTURE=<exe> -DTSAN=<0|1> -P torture.cmake
  execute_process(COMMAND ${TORTURE} --duration 2 --types lock_busted --quiet
    RESULT_VARIABLE rc OUTPUT_VARIABLE out ERROR_VARIABLE err)
  message("${out}")
  if(rc EQUAL 0)
    message(FATAL_ERROR "lock_busted was not caught: the torture checks cannot fail")
  endif()
  if(TSAN)
    # TSan may report the broken lock's races and exit with its own status.
    if(NOT out MATCHES "VIOLATION" AND NOT err MATCHES "ThreadSanitizer")
      message(FATAL_ERROR "lock_busted failed (rc ${rc}) without a report")
    endif()
  elseif(NOT out MATCHES "VIOLATION" OR NOT out MATCHES "End of test: FAILURE")
    message(FATAL_ERROR "lock_busted failed (rc ${rc}) without a VIOLATION report:\n${err}")
  endif()
  return()
endif()

set(_torture_build ${LKSYNC_BUILD_TOOLS})
foreach(h spinlock.h rwlock.h seqlock.h)
  if(NOT EXISTS ${PROJECT_SOURCE_DIR}/include/lksync/${h})
    set(_torture_build OFF)
  endif()
endforeach()

if(_torture_build)
  if(LKSYNC_UP)
    add_test(NAME torture COMMAND lksync-torture --duration 1 --types all --writers 1 --readers 0 --quiet)
    add_test(NAME torture_readers COMMAND lksync-torture --duration 1 --types rw_lock,rw_lock_irq,seqlock
      --writers 0 --readers 4 --quiet)
    set_tests_properties(torture_readers PROPERTIES TIMEOUT 60)
  else()
    add_test(NAME torture COMMAND lksync-torture --duration 2 --types all --quiet)
  endif()
  set_tests_properties(torture PROPERTIES TIMEOUT 120)

  # The sleeping types whose headers exist (each family lands separately).
  set(_torture_sleeping "")
  foreach(pair "mutex.h=mutex" "rwsem.h=rwsem" "semaphore.h=semaphore,semaphore_counting"
               "completion.h=completion" "wait.h=waitqueue")
    string(REPLACE "=" ";" pair "${pair}")
    list(GET pair 0 h)
    list(GET pair 1 types)
    if(EXISTS ${PROJECT_SOURCE_DIR}/include/lksync/${h})
      list(APPEND _torture_sleeping ${types})
    endif()
  endforeach()
  if(_torture_sleeping AND NOT LKSYNC_UP)
    list(JOIN _torture_sleeping "," _torture_sleeping)
    add_test(NAME torture_signals COMMAND lksync-torture --duration 1 --signals --quiet
      --types ${_torture_sleeping})
    set_tests_properties(torture_signals PROPERTIES TIMEOUT 60)
  endif()

  # Interrupt injection. Uniprocessor spinlocks exclude no threads: one
  # writer per type there, and the handlers are all it has to exclude.
  set(_torture_irq_types spin_lock_irq,spin_lock_irqsave,spin_lock_bh,rw_lock_irq,rw_lock_irq_rd)
  string(APPEND _torture_irq_types ,rw_lock_bh,spin_lock,seqlock,seqlock_irq)
  foreach(t mutex completion)
    if(_torture_sleeping MATCHES "${t}")
      string(APPEND _torture_irq_types ,${t})
    endif()
  endforeach()
  if(LKSYNC_UP)
    add_test(NAME torture_irqs COMMAND lksync-torture --duration 0.5 --irqs --quiet
      --writers 1 --readers 0 --types ${_torture_irq_types})
  else()
    add_test(NAME torture_irqs COMMAND lksync-torture --duration 0.5 --irqs --quiet
      --types ${_torture_irq_types})
    add_test(NAME torture_irq_busted COMMAND ${CMAKE_COMMAND}
      -DTORTURE=$<TARGET_FILE:lksync-torture> -DCASE=irq_busted
      -P ${CMAKE_CURRENT_LIST_FILE})
    set_tests_properties(torture_irq_busted PROPERTIES TIMEOUT 60)
  endif()
  set_tests_properties(torture_irqs PROPERTIES TIMEOUT 90)

  if(CMAKE_C_FLAGS MATCHES "fsanitize=thread")
    set(_torture_tsan 1)
  else()
    set(_torture_tsan 0)
  endif()
  add_test(NAME torture_busted COMMAND ${CMAKE_COMMAND}
    -DTORTURE=$<TARGET_FILE:lksync-torture> -DTSAN=${_torture_tsan}
    -P ${CMAKE_CURRENT_LIST_FILE})
  set_tests_properties(torture_busted PROPERTIES TIMEOUT 60)
endif()
