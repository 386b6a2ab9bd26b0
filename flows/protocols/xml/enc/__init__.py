"""XML Encryption 1.0/1.1 for SAML: decryption (:mod:`.decrypt`), encryption
(:mod:`.encrypt`), and the algorithms and block ciphers both share."""
