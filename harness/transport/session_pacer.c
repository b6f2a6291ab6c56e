#include "transport/session_pacer.h"

#include <pthread.h>
#include <time.h>

#include "mcpwire_limits.h"

static pthread_mutex_t pacer_lock = PTHREAD_MUTEX_INITIALIZER;
static int in_flight;        /* openings started and not yet answered */
static int burst_started;    /* openings started in the current burst */
static double burst_t0;      /* clock_ms() of the current burst's first opening */
static int waiting;          /* openers in session_pacer_enter still without a place */

/* Takes a place if the rules allow one now. Caller holds the lock. */
static int take_locked(double now) {
  if (in_flight >= MCPWIRE_SESSION_OPENINGS_IN_FLIGHT)
    return -1;
  if (burst_started >= MCPWIRE_SESSION_OPENINGS_IN_FLIGHT) {
    if (now < burst_t0 + MCPWIRE_SESSION_BURST_GAP_MS)
      return -1;
    burst_started = 0; /* the gap has passed: a new burst */
  }
  if (burst_started++ == 0)
    burst_t0 = now;
  in_flight++;
  return 0;
}

int session_pacer_try(void) {
  pthread_mutex_lock(&pacer_lock);
  /* A batch's extra places yield to openers already waiting. */
  int r = waiting ? -1 : take_locked(clock_ms());
  pthread_mutex_unlock(&pacer_lock);
  return r;
}

/* A short wait that keeps c's transfers moving. */
static void pause_slice(client *c, double deadline_ms) {
  double until = clock_ms() + MCPWIRE_SESSION_PACER_POLL_MS;
  if (until > deadline_ms)
    until = deadline_ms;
  if (c) {
    client_idle_until(c, until);
    return;
  }
  double left = until - clock_ms();
  if (left > 0) {
    struct timespec ts = {0, (long)(left * 1e6)};
    nanosleep(&ts, NULL);
  }
}

/* One attempt of session_pacer_enter; *queued says whether the caller
 * already waits. A newcomer lets those waiting go first (one that leaves
 * its places and re-enters at once cannot starve them). */
static int enter_once(int *queued) {
  pthread_mutex_lock(&pacer_lock);
  int r = (*queued || !waiting) ? take_locked(clock_ms()) : -1;
  if (r != 0 && !*queued) { /* starts waiting */
    waiting++;
    *queued = 1;
  } else if (r == 0 && *queued) { /* waited, and has its place */
    waiting--;
    *queued = 0;
  }
  pthread_mutex_unlock(&pacer_lock);
  return r;
}

int session_pacer_enter(client *c, double deadline_ms) {
  int queued = 0;
  for (;;) {
    if (!enter_once(&queued))
      return 0;
    if (clock_ms() >= deadline_ms)
      break;
    pause_slice(c, deadline_ms);
  }
  pthread_mutex_lock(&pacer_lock);
  waiting -= queued; /* it waited and gave up */
  pthread_mutex_unlock(&pacer_lock);
  return -1;
}

void session_pacer_leave(void) {
  pthread_mutex_lock(&pacer_lock);
  if (in_flight > 0)
    in_flight--;
  pthread_mutex_unlock(&pacer_lock);
}

void session_pacer_pace(client *c) {
  if (!session_pacer_enter(c, clock_ms() + MCPWIRE_SESSION_PACER_WAIT_MAX_MS))
    session_pacer_leave();
}
