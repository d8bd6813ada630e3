## «My requests»: the resident's requests, the answer to «Needs correction», the rating

menu-requests = 📋 My requests
cmd-requests = My requests and their statuses

my-requests-none = No requests yet. Inspector visits, meter commissioning and accident reports will appear here.
my-requests-title = My requests ({ $total })
my-requests-title-page = My requests: { $from }–{ $to } of { $total }
my-requests-title-one = My requests: { $from } of { $total }
my-requests-item = { $number } · { $kind } · { $date }
my-requests-item-status = { $status }{ $deadline ->
    [none] {""}
   *[other] , due by { $deadline }
}
my-requests-item-comment = Comment: { $comment }
my-requests-open = { $number } — { $status }
my-requests-newer = ← Newer
my-requests-older = Older →

my-request-title = Request { $number } — { $kind }
my-request-created = Created: { $at }
my-request-status = Status: { $status }{ $deadline ->
    [none] {""}
   *[other] , due by { $deadline }
}
my-request-damage = Damage: { $damage }
my-request-reason = Reason: { $reason }
my-request-meters = Meters in the request: { $count }
my-request-place = Place: { $place }
my-request-comment = Comment: { $comment }
my-request-description = Description: { $comment }
my-request-history = History:
my-request-history-earlier = …and { $count } earlier
my-request-event = { $at } — { $status }{ $by ->
    [resident] {" "}(you)
   *[other] {""}
}{ $comment ->
    [none] {""}
   *[other] : { $comment }
}
my-request-back = ← Back to requests

answer-ask =
    Request { $number } needs a correction.{ $comment ->
        [none] {""}
       *[other] {" "}What to clarify: { $comment }
    }
    Type your answer, attach photos if needed and press «Send».
answer-send = ✅ Send
answer-text-first = Please type the answer first.
answer-expected = Please send the answer as text or a photo.
answer-received = Answer noted{ $photos ->
    [0] {""}
   *[other] , photos: { $photos }
}. You may add to it or press «Send».
answer-photo-received = Photo added ({ $photos }). Type the answer and press «Send».
answer-sent = Thank you, the answer has been passed on. Request { $number } is «{ $status }» again.
answer-not-needed = No answer is needed now: request { $number } is «{ $status }».
answer-too-long = The answer is longer than { $max } characters — please shorten it.
answer-too-long-more = With this part the answer would be longer than { $max } characters: { $left } left. Please shorten it, or press «Send» to send what is kept.
answer-file-too-big = The file is larger than 20 MB — the bot cannot keep it. Please send a smaller picture.
answer-late = While you were typing, the request changed its status — no answer is needed. See it in «📋 My requests».

rate-already = The rating has already been counted.
rate-reason-ask = What went wrong? Write briefly or press «Skip».
rate-reason-skip = Skip
rate-reason-expected = Please write it as text or press «Skip».
rate-reason-too-long = Too long: at most { $max } characters (now { $length }). Please make it shorter.
rate-reason-waiting = Waiting for your answer: what went wrong?
rate-good = Thank you for the rating! Request { $number } is closed.
rate-bad = Sorry it did not work out. Request { $number } is back in progress — the specialists will see to it.
my-request-no-answer = no answer for 3 days
