## What the bot writes first to a resident about their requests (src/jobs/notice.ts)

# The first line: the request, its kind (in lower case) and what the status means.
notice-status-sent = Request { $number } ({ $kind }) has been sent.
notice-status-accepted = Request { $number } ({ $kind }) has been accepted. We will look into it and let you know the next step.
notice-status-in_work = Request { $number } ({ $kind }) is in progress: the specialists are already on it.
notice-status-needs_info = Request { $number } ({ $kind }) needs your input: please clarify it.
notice-status-refused = Request { $number } ({ $kind }) has been refused.
notice-status-done = Request { $number } ({ $kind }) is done.
notice-status-closed = Request { $number } ({ $kind }) is closed.
notice-comment = Comment: { $comment }
notice-reason = Reason: { $comment }
notice-asked = What to clarify: { $comment }
notice-no-answer = We have not heard from you in 3 days, so the request has been refused. If you still need help, please send a new one.
notice-needs-info = Please add to your request: press “Reply” and write what is needed.
notice-done = Is everything done? Please rate the work.
notice-no-answer-follower = The reporter did not answer a follow-up question, so the request has been closed. If the accident is still there, please report it again.
