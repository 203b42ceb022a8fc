//! The PHP binding layer.
