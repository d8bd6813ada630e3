## Requests: the names of statuses and kinds, shared by the resident's side and the operators' desk

request-status-sent = Sent
request-status-accepted = Accepted
request-status-in_work = In progress
request-status-needs_info = Needs correction
request-status-refused = Refused
request-status-done = Done
request-status-closed = Closed

request-kind-inspector = Inspector visit
request-kind-commissioning = Meter commissioning
request-kind-accident = Accident report
