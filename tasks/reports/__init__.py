"""What people read: the run summary, and each run's HTML report with its charts."""
