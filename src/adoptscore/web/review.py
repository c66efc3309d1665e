"""The review pages: account owners confirm or correct a proposed rubric version's colors.

An admin publishes a review (``adoptscore review publish``); each owner then sees their accounts'
current and proposed colors with the reasons and answers agree / should be <color> with a note.
The page shows the agreement and kappa of the answers so far with both versions (the figures
``adoptscore validate`` gives on the labels the answers make), and ``labels.csv`` is those labels.
A reader sees the items of accounts in their scope only; figures are over those items.
"""
from __future__ import annotations

import io
from typing import Any, Callable, Optional
from urllib.parse import quote

from fastapi import Body, Depends, FastAPI, Form, Query, Request
from fastapi.responses import HTMLResponse, PlainTextResponse, RedirectResponse
from starlette.exceptions import HTTPException as StarletteHTTPException

from adoptscore.insights.scorecard import BadQuery, NotFound, Scorecard
from adoptscore.lifecycle.review import (ReviewItem, labels_frame, latest_answers, review_agreement)
from adoptscore.team.people import User
from adoptscore.team.review import Review, ReviewStore
from adoptscore.team.store import TeamStoreError

SHOWN = ("mine", "unanswered", "changed", "all")


class ReviewView:
    """One review as a reader sees it: their items, the answers in force, the live figures."""

    def __init__(self, review: Review, items: list[ReviewItem], answerable: set[tuple[str, str]],
                 reviews: ReviewStore):
        self.review = review
        self.items = items
        self.answerable = answerable
        answers = reviews.answers(review.id)
        keys = {(i.account_id, i.use_case) for i in items}
        self.answers = [a for a in answers if (a.account_id, a.use_case) in keys]
        self.latest = latest_answers(self.answers)
        self.agreement = review_agreement(items, self.answers, review.period)

    def answer_of(self, item: ReviewItem) -> Any:
        return self.latest.get((item.account_id, item.use_case))

    def may_answer(self, item: ReviewItem) -> bool:
        return self.review.open and (item.account_id, item.use_case) in self.answerable

    def accounts(self, items: list[ReviewItem]) -> list[tuple[str, str | None, list[ReviewItem]]]:
        grouped: dict[str, list[ReviewItem]] = {}
        for item in items:
            grouped.setdefault(item.account_id, []).append(item)
        return [(account, rows[0].account_name, rows) for account, rows in grouped.items()]

    def to_dict(self) -> dict[str, Any]:
        return {"review": self.review.to_dict(), "agreement": self.agreement.to_dict(),
                "items": [{**i.to_dict(), "may_answer": self.may_answer(i),
                           "answer": a.to_dict() if (a := self.answer_of(i)) else None} for i in self.items]}


def install_reviews(app: FastAPI, reviews: ReviewStore, *, render: Callable[..., HTMLResponse],
                    current_card: Callable[..., Any], current_user: Callable[..., Any],
                    writer: Callable[..., Any]) -> None:
    """Add the review pages and API to ``app`` (inside its sign-in gate and CSRF checks)."""

    def attributes(card: Scorecard, item: ReviewItem) -> dict[str, Any]:
        # the account's latest attributes in the scores (its owner today); the published ones
        # when the scores do not hold the account
        rows = card.account_rows(item.account_id)
        return dict(rows[-1]) if rows else dict(item.attributes)

    def view_of(review_id: int, card: Scorecard, user: User) -> ReviewView:
        review = reviews.review(review_id)
        if review is None:
            raise NotFound(f"there is no review {review_id}", hint="see /reviews for the reviews")
        items, answerable = [], set()
        for item in reviews.items(review_id):
            row = attributes(card, item)
            if user.may_see(row):
                items.append(item)
                if user.may_change(row):
                    answerable.add((item.account_id, item.use_case))
        return ReviewView(review, items, answerable, reviews)

    def answer(review_id: int, card: Scorecard, user: User, account_id: str, use_case: str, verdict: str,
               note: str | None) -> Any:
        view = view_of(review_id, card, user)
        if not any(i.account_id == account_id and i.use_case == use_case for i in view.items):
            raise NotFound(f"review {review_id} has no item {account_id} / {use_case} for you",
                           hint="answer an item listed on the review page")
        if (account_id, use_case) not in view.answerable:
            raise StarletteHTTPException(403, f"{user.email} ({user.role}) may not answer for account {account_id!r}: "
                                              "owners answer for their own accounts, admins for any")
        try:
            return reviews.answer(review_id, account_id, use_case, verdict, note, user.email)
        except TeamStoreError as exc:
            raise BadQuery(exc.message, hint=exc.hint) from None

    def admin(user: User) -> None:
        if not user.is_admin:
            raise StarletteHTTPException(403, "closing a review is for admins")

    def shown_items(view: ReviewView, show: str, user: User) -> list[ReviewItem]:
        if show not in SHOWN:
            raise BadQuery(f"show must be one of {', '.join(SHOWN)}, not {show!r}", hint="show=mine or show=all")
        if show == "mine":
            return [i for i in view.items if view.may_answer(i)] if view.answerable else view.items
        if show == "unanswered":
            return [i for i in view.items if view.answer_of(i) is None]
        if show == "changed":
            return [i for i in view.items if i.changed]
        return view.items

    @app.get("/reviews", response_class=HTMLResponse, tags=["pages"], summary="Rubric reviews")
    def page_reviews(request: Request, card: Scorecard = Depends(current_card)) -> HTMLResponse:
        return render(request, card, "reviews.html", nav="reviews", reviews=reviews.reviews(), counts=reviews.counts())

    @app.get("/reviews/{review_id}", response_class=HTMLResponse, tags=["pages"], summary="One rubric review")
    def page_review(request: Request, review_id: int, show: Optional[str] = Query(None),
                    card: Scorecard = Depends(current_card), user: User = Depends(current_user)) -> HTMLResponse:
        view = view_of(review_id, card, user)
        chosen = show or ("mine" if view.answerable and not user.is_admin else "all")
        return render(request, card, "review.html", nav="reviews", v=view, show=chosen,
                      groups=view.accounts(shown_items(view, chosen, user)), shown_options=SHOWN)

    @app.post("/reviews/{review_id}/answers", tags=["pages"], summary="Answer one item (form)")
    def form_answer(review_id: int, account_id: str = Form(...), use_case: str = Form(...), verdict: str = Form(...),
                    note: Optional[str] = Form(None), show: Optional[str] = Form(None),
                    card: Scorecard = Depends(current_card), user: User = Depends(writer)) -> RedirectResponse:
        answer(review_id, card, user, account_id, use_case, verdict, note)
        query = f"?show={quote(show, safe='')}" if show in SHOWN else ""
        anchor = quote(f"item-{account_id}-{use_case}", safe="")
        return RedirectResponse(f"/reviews/{review_id}{query}#{anchor}", status_code=303)

    @app.post("/reviews/{review_id}/close", tags=["pages"], summary="Close a review (form, admins)")
    def form_close(review_id: int, card: Scorecard = Depends(current_card),
                   user: User = Depends(writer)) -> RedirectResponse:
        admin(user)
        view_of(review_id, card, user)
        reviews.close(review_id, user.email)
        return RedirectResponse(f"/reviews/{review_id}", status_code=303)

    @app.get("/reviews/{review_id}/labels.csv", tags=["pages"],
             summary="The answers as labels for adoptscore validate (CSV)")
    def page_labels(review_id: int, card: Scorecard = Depends(current_card),
                    user: User = Depends(current_user)) -> PlainTextResponse:
        view = view_of(review_id, card, user)
        buffer = io.StringIO()
        labels_frame(view.items, view.answers, view.review.period).to_csv(buffer, index=False)
        return PlainTextResponse(buffer.getvalue(), media_type="text/csv; charset=utf-8", headers={
            "Content-Disposition": f'attachment; filename="review-{review_id}-labels.csv"'})

    @app.get("/api/reviews", tags=["api"], summary="Rubric reviews, with items and answers counts")
    def api_reviews() -> dict[str, Any]:
        counts = reviews.counts()
        return {"reviews": [{**r.to_dict(), "items": counts.get(r.id, (0, 0))[0],
                             "answered": counts.get(r.id, (0, 0))[1]} for r in reviews.reviews()]}

    @app.get("/api/reviews/{review_id}", tags=["api"],
             summary="One review: your items, the answers in force, agreement and kappa")
    def api_review(review_id: int, card: Scorecard = Depends(current_card),
                   user: User = Depends(current_user)) -> dict[str, Any]:
        return view_of(review_id, card, user).to_dict()

    @app.post("/api/reviews/{review_id}/answers", tags=["api"], status_code=201,
              summary="Answer one item: {account_id, use_case, verdict: agree|red|yellow|green, note}")
    def api_answer(review_id: int, account_id: str = Body(...), use_case: str = Body(...), verdict: str = Body(...),
                   note: Optional[str] = Body(None), card: Scorecard = Depends(current_card),
                   user: User = Depends(writer)) -> dict[str, Any]:
        return answer(review_id, card, user, account_id, use_case, verdict, note).to_dict()

    @app.post("/api/reviews/{review_id}/close", tags=["api"], summary="Close a review (admins)")
    def api_close(review_id: int, card: Scorecard = Depends(current_card), user: User = Depends(writer)) -> dict[str, Any]:
        admin(user)
        view_of(review_id, card, user)
        return reviews.close(review_id, user.email).to_dict()
