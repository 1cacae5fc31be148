"""Background work on PostgreSQL's own job queue (procrastinate): nothing to run beside the database.

1. queue.enqueue() writes a Job row (what, who, its files) and procrastinate's queue row in one
   transaction, through Django's own connection; NOTIFY wakes a worker when it commits.
2. A worker (`manage.py worker`, on any machine with the same DATABASE_URL) takes the queue row
   under a lock, so each job runs once, and tasks.run_job() runs the Job's kind.
3. A kind is a function (job, progress) -> result, registered with registry.job_kind(); it reports
   through progress.Progress (n of m, the current item, each item's outcome), which the same work
   run inline in a command gives to a progress bar instead.
4. A job ends done, failed (with its reason) or cancelled; retry and cancel are queue.retry() and
   queue.cancel(); a job whose worker died is run again by the periodic tasks.retry_stalled_jobs.

Kinds must be idempotent: run twice, or killed and run again, they leave what one clean run leaves.
"""
