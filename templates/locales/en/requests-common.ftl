## Requests: the names of statuses and kinds, shared by the resident's and the operators' screens (seed 001)

request-status-sent = Sent
request-status-accepted = Accepted
request-status-in_work = In progress
request-status-needs_info = Needs your input
request-status-refused = Refused
request-status-done = Done
request-status-closed = Closed

request-kind-inspector = Inspector visit
request-kind-commissioning = Meter commissioning or sealing
request-kind-accident = Accident

# The resident's buttons on a request, the same in the notices and in «My requests».
request-answer = ✏️ Reply
request-rate-good = 👍 All good
request-rate-bad = 👎 Not done

# The letter of a request's number: the Russian one in every language (the number is stored as given).
request-number-prefix-inspector = К
request-number-prefix-commissioning = П
request-number-prefix-accident = А
