//! `coded_enum!`: an enum whose variants are stored, typed and serialized as short snake_case
//! codes (`on_rent`, `partially_received`), with the parsing and listing every such enum needs.
//!
//! Used by the inventory, asset and purchasing modules, whose statuses and kinds are read from
//! the CLI, the UI and the database alike.

/// Declares `pub enum $name { $variant, ... }` with the given codes, plus `code()`,
/// `from_code()`, `ALL` and `CHOICES` (for [`crate::validation::Problems::choice`]).
#[macro_export]
macro_rules! coded_enum {
    ($(#[$meta:meta])* $name:ident { $($(#[$vmeta:meta])* $variant:ident = $code:literal),+ $(,)? }) => {
        $(#[$meta])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, serde::Serialize, serde::Deserialize, ts_rs::TS)]
        #[serde(rename_all = "snake_case")]
        pub enum $name {
            $($(#[$vmeta])* #[serde(rename = $code)] $variant),+
        }

        impl $name {
            /// Every value, in declaration order.
            pub const ALL: &'static [$name] = &[$($name::$variant),+];

            /// Code and value pairs, for parsing what a person typed.
            pub const CHOICES: &'static [(&'static str, $name)] = &[$(($code, $name::$variant)),+];

            /// The stored code.
            pub fn code(self) -> &'static str {
                match self {
                    $($name::$variant => $code),+
                }
            }

            /// Parses a stored or typed code (any case).
            pub fn from_code(code: &str) -> Option<$name> {
                Self::CHOICES.iter().find(|(c, _)| c.eq_ignore_ascii_case(code.trim())).map(|(_, v)| *v)
            }
        }

        impl std::fmt::Display for $name {
            fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
                f.write_str(self.code())
            }
        }

        impl rusqlite::ToSql for $name {
            fn to_sql(&self) -> rusqlite::Result<rusqlite::types::ToSqlOutput<'_>> {
                Ok(self.code().into())
            }
        }

        impl rusqlite::types::FromSql for $name {
            fn column_result(v: rusqlite::types::ValueRef<'_>) -> rusqlite::types::FromSqlResult<$name> {
                let text = v.as_str()?;
                $name::from_code(text).ok_or_else(|| rusqlite::types::FromSqlError::Other(
                    format!("unknown {} code '{text}'", stringify!($name)).into(),
                ))
            }
        }
    };
}

#[cfg(test)]
mod tests {
    coded_enum! {
        /// A test enum.
        Shade { Light = "light", DarkBlue = "dark_blue" }
    }

    #[test]
    fn codes_round_trip_through_text_json_and_sql() {
        for s in Shade::ALL {
            assert_eq!(Shade::from_code(s.code()), Some(*s));
        }
        assert_eq!(Shade::from_code(" DARK_BLUE "), Some(Shade::DarkBlue));
        assert_eq!(Shade::from_code("dark"), None);
        assert_eq!(serde_json::to_string(&Shade::DarkBlue).unwrap(), "\"dark_blue\"");
        let conn = rusqlite::Connection::open_in_memory().unwrap();
        let back: Shade = conn.query_row("SELECT ?1", [Shade::DarkBlue], |r| r.get(0)).unwrap();
        assert_eq!(back, Shade::DarkBlue);
        let bad: rusqlite::Result<Shade> = conn.query_row("SELECT 'x'", [], |r| r.get(0));
        assert!(bad.is_err());
    }
}
