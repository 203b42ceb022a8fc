//! The request handler: one entry point that takes an HTTP request for any
//! SCIM endpoint (RFC 7644 §3) and returns the response, over any [`Store`].
//! The standalone server and the Drupal module both call it; only the store
//! differs.

pub mod auth;
mod handlers;
pub mod query;
mod render;
pub mod route;

pub use auth::{hash_token, TokenSet};
pub use route::Route;

use crate::discovery::ServerFeatures;
use crate::list::DEFAULT_MAX_PAGE_SIZE;
use crate::resource::{Limits, Options};
use crate::schema::Registry;
use crate::store::{Kind, Store};
use crate::ScimError;

/// The media type of every SCIM response (RFC 7644 §8.1).
pub const SCIM_MEDIA_TYPE: &str = "application/scim+json";

/// An HTTP request, as the web server hands it over.
#[derive(Debug, Clone, Copy)]
pub struct Request<'a> {
    /// The method, such as `GET` (matched without regard to case).
    pub method: &'a str,
    /// The path below the SCIM base URL, such as `/Users/2819c223`.
    pub path: &'a str,
    /// The raw query string, without `?`.
    pub query: &'a str,
    /// The headers; names are matched without regard to case.
    pub headers: &'a [(String, String)],
    /// The raw body.
    pub body: &'a [u8],
}

impl Request<'_> {
    /// The first header named `name`.
    #[must_use]
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(n, _)| n.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
}

/// What a request did, as data for the caller's log: the core itself does
/// not log.
#[non_exhaustive]
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Operation {
    /// A discovery document was read.
    Discovery,
    /// A list or `/.search` query.
    Search,
    /// POST of a new resource.
    Create,
    /// GET of one resource.
    Read,
    /// PUT.
    Replace,
    /// PATCH.
    Patch,
    /// DELETE.
    Delete,
    /// An endpoint or method the server does not serve.
    Unsupported,
}

impl Operation {
    /// A lowercase name for logs.
    #[must_use]
    pub fn as_str(self) -> &'static str {
        match self {
            Self::Discovery => "discovery",
            Self::Search => "search",
            Self::Create => "create",
            Self::Read => "read",
            Self::Replace => "replace",
            Self::Patch => "patch",
            Self::Delete => "delete",
            Self::Unsupported => "unsupported",
        }
    }
}

/// The record of one request: who, what, and how it ended.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Event {
    /// What was asked.
    pub operation: Operation,
    /// The resource type concerned, if any.
    pub kind: Option<Kind>,
    /// The resource concerned, if known (for a create, the new id).
    pub resource_id: Option<String>,
    /// The label of the token that authenticated the request.
    pub token_label: Option<String>,
    /// The error, when the request failed.
    pub error: Option<ScimError>,
}

/// An HTTP response.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Response {
    /// The status code.
    pub status: u16,
    /// The headers, in order.
    pub headers: Vec<(String, String)>,
    /// The body; `None` for 204 and 304.
    pub body: Option<String>,
    /// What happened, for the caller's log.
    pub event: Event,
}

/// How a server behaves; everything a site may set.
#[derive(Debug, Clone)]
pub struct Config {
    /// The SCIM base URL without a trailing slash, such as
    /// `https://example.com/scim/v2`; `meta.location` and `$ref` start with it.
    pub base_url: String,
    /// What `/ServiceProviderConfig` announces.
    pub features: ServerFeatures,
    /// Body size and nesting limits.
    pub limits: Limits,
    /// How strictly resources are validated.
    pub validation: Options,
    /// The largest page a list returns (RFC 7644 §3.4.2.4 lets the server cap `count`).
    pub max_page_size: usize,
    /// The accepted bearer tokens.
    pub tokens: TokenSet,
    /// Whether discovery documents may be read without a token.
    pub public_discovery: bool,
    /// Whether a client's `password` reaches the store. Off by default: Okta
    /// sends a placeholder password with every create.
    pub keep_password: bool,
}

impl Config {
    /// Defaults for `base_url`: no token, strict validation, 1 MiB bodies.
    #[must_use]
    pub fn new(base_url: &str) -> Self {
        let limits = Limits::default();
        let mut features = ServerFeatures::default();
        features.bulk.max_payload_size = limits.max_body_bytes as u64;
        Self {
            base_url: base_url.trim_end_matches('/').to_owned(),
            features,
            limits,
            validation: Options::default(),
            max_page_size: DEFAULT_MAX_PAGE_SIZE,
            tokens: TokenSet::new(),
            public_discovery: false,
            keep_password: false,
        }
    }
}

/// A SCIM service provider over store `S`.
pub struct Server<S> {
    registry: Registry,
    config: Config,
    store: S,
}

impl<S: Store> Server<S> {
    /// A server for the standard registry (User with the Enterprise
    /// extension, Group).
    pub fn new(config: Config, store: S) -> Self {
        Self::with_registry(Registry::standard(), config, store)
    }

    /// A server for `registry`, such as one with site-defined extensions.
    pub fn with_registry(registry: Registry, config: Config, store: S) -> Self {
        Self {
            registry,
            config,
            store,
        }
    }

    /// The store.
    pub fn store(&self) -> &S {
        &self.store
    }

    /// The configuration.
    pub fn config(&self) -> &Config {
        &self.config
    }

    /// Validates `input` as a new resource of `kind`, as a POST would, and
    /// returns what would be stored: for imports that bypass HTTP. Pass
    /// `input` by value when it has no further use (see
    /// [`crate::resource::Input`]).
    ///
    /// # Errors
    /// The validation errors of a POST.
    pub fn prepare_create(
        &self,
        kind: Kind,
        input: impl crate::resource::Input,
    ) -> crate::Result<serde_json::Value> {
        let rt = self.registry.resource_type(kind.as_str()).ok_or_else(|| {
            ScimError::Internal(format!("the registry has no {kind} resource type"))
        })?;
        let valid = crate::resource::validate_with(
            &self.registry,
            rt,
            input,
            crate::resource::Mode::Create,
            &self.config.validation,
        )?;
        Ok(self.guard_password(valid))
    }

    /// Drops `password` unless the site keeps it (see [`Config::keep_password`]).
    fn guard_password(&self, mut resource: serde_json::Value) -> serde_json::Value {
        if !self.config.keep_password {
            if let Some(object) = resource.as_object_mut() {
                object.remove("password");
            }
        }
        resource
    }

    /// Answers `request`. Never fails: every error becomes a SCIM error
    /// document (RFC 7644 §3.12) with its status.
    pub fn handle(&self, request: &Request<'_>) -> Response {
        let route = Route::parse(request.path);
        let mut event = Event {
            operation: Operation::Unsupported,
            kind: None,
            resource_id: None,
            token_label: None,
            error: None,
        };
        match handlers::dispatch(self, route, request, &mut event) {
            Ok(mut response) => {
                response.event = event;
                response
            }
            Err(error) => render::error(error, route, request, event),
        }
    }
}
