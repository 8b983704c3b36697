"""Request and response bodies of the marketplace REST API (pydantic)."""

from datetime import date, datetime
from typing import Annotated, Literal

from pydantic import (
    BaseModel,
    BeforeValidator,
    ConfigDict,
    Field,
    ValidationInfo,
    field_validator,
)
from pydantic_core import PydanticCustomError

from ..models.marketplace_input import character_problem
from ..models.marketplace_input_numbers import (
    AMOUNT,
    MAX_ID,
    PRICE,
    QUANTITY,
    NumberRefused,
    number_from_json,
)
from .api_errors import NUMBER_ERROR

DisputeType = Literal[
    "not_delivered", "not_as_described", "damaged", "refund_request", "other"
]


# Request fields of free text, which keep their line breaks.
MULTILINE_FIELDS = {"description", "shop_description", "body", "feedback"}


class _Messages:
    """The text checks' messages for the API: they name the API's own field
    names, which are English, like the rest of its contract."""

    @staticmethod
    def _(source, *args, **kwargs):
        return source % (args or kwargs) if (args or kwargs) else source


def _number(rule):
    """The JSON number of a field held to ``rule``, the rule the portal's
    forms apply (``marketplace_input_numbers``): a number, never a boolean
    nor a string, zero or more, at most the rule's maximum and decimals."""

    def check(value):
        try:
            return float(number_from_json(value, rule))
        except NumberRefused as refused:
            raise PydanticCustomError(
                NUMBER_ERROR,
                "Refused {rule}: {reason}",
                {"rule": rule.name, "reason": refused.reason},
            ) from None

    return Annotated[
        float,
        BeforeValidator(check),
        Field(
            ge=0,
            le=float(rule.maximum),
            description=f"A JSON number, at most {rule.decimals} decimals",
        ),
    ]


Price = _number(PRICE)
Quantity = _number(QUANTITY)
Amount = _number(AMOUNT)
#: The id of a record, in a body: a JSON integer.
Id = Annotated[int, Field(strict=True, ge=1, le=MAX_ID)]


class Strict(BaseModel):
    """Unknown fields in a request body are an error, not silently ignored.
    Every text field follows the characters rule of the portal forms
    (``marketplace_input.character_problem``), checked before their size
    and type: a refused character is a 422 naming the field."""

    model_config = ConfigDict(extra="forbid")

    @field_validator("*", mode="before")
    @classmethod
    def _check_characters(cls, value, info: ValidationInfo):
        if isinstance(value, str):
            problem = character_problem(
                _Messages,
                value,
                info.field_name,
                multiline=info.field_name in MULTILINE_FIELDS,
            )
            if problem:
                raise ValueError(problem)
        return value


# ------------------------------------------------------------------ sellers
class SellerRegistration(Strict):
    name: str = Field(min_length=1, max_length=128, description="Contact name")
    email: str = Field(min_length=3, max_length=254)
    phone: str | None = Field(None, max_length=32)
    shop_name: str = Field(min_length=1, max_length=128)
    shop_description: str | None = Field(None, max_length=2000)


class SellerRegistered(BaseModel):
    id: int
    verification_state: str


class SellerProfile(BaseModel):
    id: int
    name: str
    email: str | None
    phone: str | None
    shop_name: str | None
    shop_description: str | None
    street: str | None
    city: str | None
    zip: str | None
    country_code: str | None
    registration_date: date | None
    verification_state: str
    profile_completeness: int


class SellerProfileUpdate(Strict):
    shop_name: str | None = Field(None, min_length=1, max_length=128)
    shop_description: str | None = Field(None, max_length=2000)
    phone: str | None = Field(None, max_length=32)
    street: str | None = Field(None, max_length=128)
    city: str | None = Field(None, max_length=128)
    zip: str | None = Field(None, max_length=16)
    country_code: str | None = Field(
        None, min_length=2, max_length=2, description="ISO 3166-1 alpha-2"
    )


class DocumentInfo(BaseModel):
    id: int
    document_type: str
    file_name: str | None
    expiry_date: date | None
    is_expired: bool
    uploaded_on: datetime


class VerificationStatus(BaseModel):
    verification_state: str
    rejection_reason: str | None
    decided_on: datetime | None
    suspended: bool
    profile_completeness: int
    missing_items: str | None
    documents: list[DocumentInfo]


class SellerFigures(BaseModel):
    currency: str
    sales_count_month: int
    sales_amount_month: float
    sales_count_prev_month: int
    sales_amount_prev_month: float
    sales_count_30d: int
    sales_amount_30d: float
    last_sale_date: date | None
    rating_average: float
    rating_count: int
    listing_count: int
    segment: str | None


# ------------------------------------------------------------------ listings
class Listing(BaseModel):
    id: int
    name: str
    description: str | None
    list_price: float
    category_id: int | None
    is_published: bool
    publish_requested: bool
    quantity: float


class ListingCreate(Strict):
    name: str = Field(min_length=1, max_length=128)
    description: str | None = Field(None, max_length=4000)
    list_price: Price = 0.0
    category_id: Id | None = None
    quantity: Quantity = 0.0


class ListingUpdate(Strict):
    name: str | None = Field(None, min_length=1, max_length=128)
    description: str | None = Field(None, max_length=4000)
    list_price: Price | None = None
    category_id: Id | None = None


class StockQuantity(Strict):
    quantity: Quantity


# ------------------------------------------------------------------ orders
class OrderLine(BaseModel):
    product: str
    quantity: float
    price_subtotal: float


class OrderPart(BaseModel):
    id: int
    order_reference: str
    date_order: datetime | None
    state: str
    seller_id: int
    buyer_id: int
    amount: float
    currency: str
    lines: list[OrderLine]
    rating: float | None


class RatingCreate(Strict):
    rating: int = Field(strict=True, ge=1, le=5)
    feedback: str | None = Field(None, max_length=2000)


class RatingResult(BaseModel):
    order_part_id: int
    seller_id: int
    rating: float
    seller_rating_average: float


# ------------------------------------------------------------------ disputes, tickets
class Comment(BaseModel):
    id: int
    author: str | None
    date: datetime
    body: str


class CommentCreate(Strict):
    body: str = Field(min_length=1, max_length=5000)


class Dispute(BaseModel):
    id: int
    reference: str
    state: str
    dispute_type: str
    buyer_id: int
    seller_id: int
    order_id: int | None
    amount: float
    is_critical: bool
    outcome: str | None
    created_on: datetime
    comments: list[Comment] = []


class DisputeCreate(Strict):
    order_id: Id
    seller_id: Id
    dispute_type: DisputeType = "other"
    amount: Amount = Field(
        0.0, description="At most the total of the seller's part of the order"
    )
    description: str = Field(min_length=1, max_length=5000)


class Ticket(BaseModel):
    id: int
    number: str
    title: str
    stage: str | None
    closed: bool
    order_id: int | None
    created_on: datetime
    comments: list[Comment] = []


class TicketCreate(Strict):
    title: str = Field(min_length=1, max_length=200)
    description: str = Field(min_length=1, max_length=5000)
    order_id: Id | None = None
