"""Language models in every role: clients over the official SDKs, and what every call shares.

One call path (``call_model``): replay → cache → budget → provider with retries and a
per-provider concurrency limit; every call becomes a ``ModelCallEvent`` in the record.
"""

from simulator.models._cache import DEFAULT_CACHE_PATH, RequestCache
from simulator.models._call import BUDGET_ERROR, RoleModel, call_model
from simulator.models._client import (
    ChatClient,
    ChatRequest,
    ChatResponse,
    ModelCallError,
    TransientModelError,
    request_hash,
    scrub,
)
from simulator.models._cost import DEFAULT_PRICES, PRICES_VARIABLE, Price, PriceTable, load_prices
from simulator.models._json import parse_json_object
from simulator.models._limits import LIMITS_VARIABLE, ProviderLimits
from simulator.models._log import CallLog, ReplayMiss
from simulator.models._registry import (
    CACHE_VARIABLE,
    ModelRegistry,
    default_registry,
    use_registry,
)
from simulator.models._retry import RetryPolicy, parse_retry_after, with_retries
from simulator.models._roles import Budget, BudgetExceeded, RoleConfig, Roles
from simulator.models._spec import PROVIDERS, ModelConfigError, ModelSpec, parse_model
from simulator.models._wire import (
    RecordingTransport,
    ReplayHandler,
    load_recording,
    write_recording,
)

__all__ = [
    "BUDGET_ERROR",
    "CACHE_VARIABLE",
    "DEFAULT_CACHE_PATH",
    "DEFAULT_PRICES",
    "LIMITS_VARIABLE",
    "PRICES_VARIABLE",
    "PROVIDERS",
    "Budget",
    "BudgetExceeded",
    "CallLog",
    "ChatClient",
    "ChatRequest",
    "ChatResponse",
    "ModelCallError",
    "ModelConfigError",
    "ModelRegistry",
    "ModelSpec",
    "Price",
    "PriceTable",
    "ProviderLimits",
    "RecordingTransport",
    "ReplayHandler",
    "ReplayMiss",
    "RequestCache",
    "RetryPolicy",
    "RoleConfig",
    "RoleModel",
    "Roles",
    "TransientModelError",
    "call_model",
    "default_registry",
    "load_prices",
    "load_recording",
    "parse_json_object",
    "parse_model",
    "parse_retry_after",
    "request_hash",
    "scrub",
    "use_registry",
    "with_retries",
    "write_recording",
]
