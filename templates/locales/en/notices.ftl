## What the bot writes first to a resident about their requests (src/jobs/notice.ts)

notice-request-status = Request { $number }: status “{ $status }”
notice-comment = Comment: { $comment }
notice-no-answer = We have not heard from you in 3 days, so the request has been refused. If you still need help, please send a new one.
notice-needs-info = Please add to your request: press “Reply” and write what is needed.
notice-done = Is everything done? Please rate the work.
notice-answer = ✏️ Reply
notice-rate-good = 👍 All good
notice-rate-bad = 👎 Not done
