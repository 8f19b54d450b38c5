from datetime import datetime

from sqlalchemy import Index, String
from sqlmodel import Field, SQLModel

from app.access.principal import Role
from app.clock import utcnow
from app.types import UTCDateTime


class ApiToken(SQLModel, table=True):
    __tablename__ = "api_tokens"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    prefix: str = Field(max_length=16, description="first characters, to recognise a token in lists")
    name: str = Field(max_length=200)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    role: Role = Field(sa_type=String(20))
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    created_by_account_id: int | None = Field(default=None, foreign_key="accounts.id", index=True,
                                              description="the person who made it; none: the operator's CLI")
    last_used_at: datetime | None = Field(default=None, sa_type=UTCDateTime,
                                          description="written at most every few minutes")


class Account(SQLModel, table=True):
    """A person who signs in to the web pages: an officer of an agency, with the role of that agency's work."""

    __tablename__ = "accounts"

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100, unique=True, description="lower case; an e-mail address is fine")
    email: str | None = Field(default=None, max_length=200)
    full_name: str = Field(max_length=200)
    job_title: str = Field(default="", max_length=200)
    agency_id: int = Field(foreign_key="agencies.id", index=True)
    role: Role = Field(sa_type=String(20))
    active: bool = True
    password_hash: str = Field(max_length=300)
    created_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)
    password_changed_at: datetime = Field(default_factory=utcnow, sa_type=UTCDateTime)


class WebSession(SQLModel, table=True):
    """A signed-in browser: the cookie holds an opaque value, only its SHA-256 is stored."""

    __tablename__ = "web_sessions"

    id: int | None = Field(default=None, primary_key=True)
    token_hash: str = Field(max_length=64, unique=True)
    account_id: int = Field(foreign_key="accounts.id", index=True)
    csrf_token: str = Field(max_length=64)
    created_at: datetime = Field(sa_type=UTCDateTime)
    last_seen_at: datetime = Field(sa_type=UTCDateTime)
    expires_at: datetime = Field(sa_type=UTCDateTime, description="absolute expiry")
    revoked_at: datetime | None = Field(default=None, sa_type=UTCDateTime)
    user_agent: str = Field(default="", max_length=300)
    ip: str = Field(default="", max_length=64)
    # Wrong passwords typed into the account from other addresses after this moment are told to the person on every
    # page (their previous sign-in when the session starts; moved to now when they dismiss the notice).
    warn_since: datetime | None = Field(default=None, sa_type=UTCDateTime)


class LoginAttempt(SQLModel, table=True):
    """Sign-in attempts, the history the throttle counts (app/auth/throttle.py). An attempt is recorded before its
    password is checked (`success` None: being checked, counted as a failure), so a burst cannot pass the count."""

    __tablename__ = "login_attempts"
    __table_args__ = (Index("ix_login_attempts_username_attempted_at", "username", "attempted_at"),
                      Index("ix_login_attempts_ip_attempted_at", "ip", "attempted_at"))

    id: int | None = Field(default=None, primary_key=True)
    username: str = Field(max_length=100)
    ip: str = Field(max_length=64)
    attempted_at: datetime = Field(sa_type=UTCDateTime)
    success: bool | None = None
    device_hash: str = Field(default="", max_length=64, description="SHA-256 of the browser's device cookie")
    released: bool = Field(default=False, description="no longer counted: unlocked, or followed by a sign-in")
