// Generated once by lib/crypto itself (openpgp 6.3.2) and committed: these must keep
// decrypting with every future version of the module, to catch format drift.
// Do NOT regenerate them to make a failing test pass.

export const melderPassphrase = "kdnw-prte-ghsa-vmbt-lqzc-8r4e";
export const organisationSlug = "acme-bv";
export const caseCode = "4821-0937";
/** deriveMelderKeys({ melderPassphrase, organisationSlug, caseCode }); also checked against node:crypto hkdfSync. */
export const melderLoginKey = "lVBek3w6KQtdw-rsvIw0HF2kKzbgv2MWrNdAFRa5sYk";
export const melderUnlockKey = "BsbmNVuW0pBEtTeDkWRmgbF74SRaU5IRD5phyQocRgU";

export const melderFingerprint = "5953d8b5316911a63d8f7ff09767a99030fdfca7";
export const melderPublicKey = `-----BEGIN PGP PUBLIC KEY BLOCK-----

xjMEawMqoRYJKwYBBAHaRw8BAQdAwvqlLSwYPOBm8ehiOPSIObbMXl3E7Xtl
1/seNnnVHDHNBk1lbGRlcsLAEwQTFgoAhQWCawMqoQMLCQcJEJdnqZAw/fyn
RRQAAAAAABwAIHNhbHRAbm90YXRpb25zLm9wZW5wZ3Bqcy5vcmffLM319XQ3
Yz5ZfnKYassnKcaqF0Op4C9Eltfd2wSxdgUVCggODAQWAAIBAhkBApsDAh4B
FiEEWVPYtTFpEaY9j3/wl2epkDD9/KcAAGxhAPoDLTQeFzlklMqsPR9/uL2r
zas7d6hDFgWEmRl59jFguQD/bRxuogfFJPCJiL3zH+Dmxp6zvKWGiYrUnLhJ
yNa8ewDOOARrAyqhEgorBgEEAZdVAQUBAQdAfT5G5/r0Gn8F5pyep0Ceyg84
gqJJDjqNbrnjvjou02gDAQgHwr4EGBYKAHAFgmsDKqEJEJdnqZAw/fynRRQA
AAAAABwAIHNhbHRAbm90YXRpb25zLm9wZW5wZ3Bqcy5vcmesGgFU76AOq2gr
kymD6xo1Va/EO8SwNtYCHTXJFWwPCAKbDBYhBFlT2LUxaRGmPY9/8JdnqZAw
/fynAAA+YgD9H+VUVIS5Se7AtliQd7+p5fqhqvmd5UF7dmsfdynKGQAA/REr
YyZilJgl5PpGFA2+n6bWLLEHHn2ievxQrUsB8dgJ
=DsRR
-----END PGP PUBLIC KEY BLOCK-----
`;
/** The melder's private key, locked with melderUnlockKey. */
export const melderLockedKey = `-----BEGIN PGP PRIVATE KEY BLOCK-----

xYYEawMqoRYJKwYBBAHaRw8BAQdAwvqlLSwYPOBm8ehiOPSIObbMXl3E7Xtl
1/seNnnVHDH+CQMIDF081STdQ/jgwzYgPuYzZrQIfhS694eIYL6rtHiWti7/
lXksSYWoixl+DNtRYSBa0ffePDNwe3aaCGLUIZ+xvsKxMvKcUCtrgUD1zCyK
wc0GTWVsZGVywsATBBMWCgCFBYJrAyqhAwsJBwkQl2epkDD9/KdFFAAAAAAA
HAAgc2FsdEBub3RhdGlvbnMub3BlbnBncGpzLm9yZ98szfX1dDdjPll+cphq
yycpxqoXQ6ngL0SW193bBLF2BRUKCA4MBBYAAgECGQECmwMCHgEWIQRZU9i1
MWkRpj2Pf/CXZ6mQMP38pwAAbGEA+gMtNB4XOWSUyqw9H3+4vavNqzt3qEMW
BYSZGXn2MWC5AP9tHG6iB8Uk8ImIvfMf4ObGnrO8pYaJitScuEnI1rx7AMeL
BGsDKqESCisGAQQBl1UBBQEBB0B9Pkbn+vQafwXmnJ6nQJ7KDziCokkOOo1u
ueO+Oi7TaAMBCAf+CQMIJcPZn398Wh/ga0vSSqSr7E+j1QextV9a3xHhqMq2
msgp7g84DLy6z3n4KNamC1Kr7SPP6ln5cByERa5PP84pSXlWQujfYjDn7EnC
uT5sWsK+BBgWCgBwBYJrAyqhCRCXZ6mQMP38p0UUAAAAAAAcACBzYWx0QG5v
dGF0aW9ucy5vcGVucGdwanMub3JnrBoBVO+gDqtoK5Mpg+saNVWvxDvEsDbW
Ah01yRVsDwgCmwwWIQRZU9i1MWkRpj2Pf/CXZ6mQMP38pwAAPmIA/R/lVFSE
uUnuwLZYkHe/qeX6oar5neVBe3ZrH3cpyhkAAP0RK2MmYpSYJeT6RhQNvp+m
1iyxBx59onr8UK1LAfHYCQ==
=Y8jF
-----END PGP PRIVATE KEY BLOCK-----
`;

export const advisorFingerprint = "aead5f75039fb19376a1b2b1b9576a50efbddc9a";
export const advisorPublicKey = `-----BEGIN PGP PUBLIC KEY BLOCK-----

xjMEawMqoRYJKwYBBAHaRw8BAQdA7bZmrKWXuU8Kr7pwV+kcnSO64dqxBzpb
0RGh/dNZ0fDNElZlcnRyb3V3ZW5zcGVyc29vbsLAEwQTFgoAhQWCawMqoQML
CQcJELlXalDvvdyaRRQAAAAAABwAIHNhbHRAbm90YXRpb25zLm9wZW5wZ3Bq
cy5vcme30XCT+OgD1Grj7OFYbrqTr+uU7Juq0lDc4Hu6UmDgbgUVCggODAQW
AAIBAhkBApsDAh4BFiEErq1fdQOfsZN2obKxuVdqUO+93JoAAN7eAP9z9Jml
Y9VMaLF7JhXF91M4H/jTXlBWfkTj9bcz/emCTgD9H7cCiaveRDEfuStiT4mi
a0VqNPWCli1pn/zWbX91OwfOOARrAyqhEgorBgEEAZdVAQUBAQdADlML2vcp
t9Js1if0TKGrpjZYAckAldN4pwzR0U5oZ1QDAQgHwr4EGBYKAHAFgmsDKqEJ
ELlXalDvvdyaRRQAAAAAABwAIHNhbHRAbm90YXRpb25zLm9wZW5wZ3Bqcy5v
cmexvjPAttYhQZOYSr2WAsEWtegXJUFVKFbxBCLloaG6sAKbDBYhBK6tX3UD
n7GTdqGysblXalDvvdyaAACnVAD8Ca9/4EyzNPArJjx9GxyVZQV3FTz2m+BB
Id+Nbx2C2QwBAKSBGRWQoC2KPH3YZKlMWRbKcWrOPGXgudjcu3+O1OUE
=TYNp
-----END PGP PUBLIC KEY BLOCK-----
`;
export const advisorUnlockKey = "fixture-advisor-unlock-key";
export const advisorLockedKey = `-----BEGIN PGP PRIVATE KEY BLOCK-----

xYYEawMqoRYJKwYBBAHaRw8BAQdA7bZmrKWXuU8Kr7pwV+kcnSO64dqxBzpb
0RGh/dNZ0fD+CQMI1OY/vAjvYMbgrw+CW4Ln2L6ruQqOdXw+o+GoKcL6Vgcu
u8dqDh3EqHo+xoJZ/8iiRD2ObbkLgnVn4Wh8wVhhQWZdieFEmFtFlM3gcZ6C
eM0SVmVydHJvdXdlbnNwZXJzb29uwsATBBMWCgCFBYJrAyqhAwsJBwkQuVdq
UO+93JpFFAAAAAAAHAAgc2FsdEBub3RhdGlvbnMub3BlbnBncGpzLm9yZ7fR
cJP46APUauPs4VhuupOv65Tsm6rSUNzge7pSYOBuBRUKCA4MBBYAAgECGQEC
mwMCHgEWIQSurV91A5+xk3ahsrG5V2pQ773cmgAA3t4A/3P0maVj1UxosXsm
FcX3Uzgf+NNeUFZ+ROP1tzP96YJOAP0ftwKJq95EMR+5K2JPiaJrRWo09YKW
LWmf/NZtf3U7B8eLBGsDKqESCisGAQQBl1UBBQEBB0AOUwva9ym30mzWJ/RM
oaumNlgByQCV03inDNHRTmhnVAMBCAf+CQMIc8WMpIySnDHgv/K4q5LnmBVl
C0Qj9JHkO/LUYl5+ynTQc02KUb/fXW6gX/yDPsGzt10ttAzvdTrPRRW5ju1B
6ng3NZurCaglrmDY9ImyB8K+BBgWCgBwBYJrAyqhCRC5V2pQ773cmkUUAAAA
AAAcACBzYWx0QG5vdGF0aW9ucy5vcGVucGdwanMub3Jnsb4zwLbWIUGTmEq9
lgLBFrXoFyVBVShW8QQi5aGhurACmwwWIQSurV91A5+xk3ahsrG5V2pQ773c
mgAAp1QA/Amvf+BMszTwKyY8fRsclWUFdxU89pvgQSHfjW8dgtkMAQCkgRkV
kKAtijx92GSpTFkWynFqzjxl4LnY3Lt/jtTlBA==
=GAYp
-----END PGP PRIVATE KEY BLOCK-----
`;

/** Encrypted to melder + advisor, signed by the advisor. */
export const messageText = "Fixture: melding ✉️ — \"quotes\", ünïcödé, 🎉\nSecond line.";
export const armoredMessage = `-----BEGIN PGP MESSAGE-----

wV4DIkl4gIunkDYSAQdAHpC76DRVAXFdP4eZWCO/SQjo44ZgBzj0ePy52fL1
GSMwt9blpAK18aRkVMbLBls6m4+vI7gCjbKwffLccIIX53KHsh362X9KzF+v
M42qnIEPwV4DtUOZMS5xPNwSAQdAB6RMWUVNS+9Lxrpy7a4CQFQrrIpmu34Q
GeEdV+BVThUwGFyMJEavLmJY1ahLskX3y/0idLlY0s46Wm40+TGGUaRYUFOK
Enme/BdHT8jR+gjq0sCCATj1PA7v+3yZsxKwhmKTqQTmDn2LvPOwQKeIRwTg
WbDvwNbrOH0NP/r3u8ds+6ZatS0jpnzSGgrfaq0O7cfVD2Z/9BeAt9hOwCUB
42le8sM6bWImYogotIQJew96cys9klWtqEKUdU69R5nhJNMWnS8aADgBv4ts
9qyzLHgbKnF5qJreSC4HpIJlNjY2RmppDVPiMtxfb3+twxgfZEbSNnNH78kt
zWuOyNNjaVZOLYMbv3370X+EnU94kpWaf9o2yFo1ByCyOXnzP4aD6up4ptOY
LKydpkzoGm5gim2x7fX6tdSe3YW2K16MwmTWZvmMwTFFV4nqKOHpBIY78htN
GXNmbhL05VF5GYvufDxOFwRxtgnW7j1rT+030h3qX/CFqpG29fhdluXspG8s
Y6s7DS4vzyrMcGR2RSZmYfh+3GpRvg==
=glB5
-----END PGP MESSAGE-----
`;

/** encryptBytes of manifestJson to melder + advisor, signed by the melder; base64. */
export const manifestJson = "{\"name\":\"verslag.pdf\",\"type\":\"application/pdf\",\"size\":12345}";
export const manifestMessageBase64 = "wV4DIkl4gIunkDYSAQdALLlP1y86c9ywdjeUS5QnstVg16rLuGGUHHyUWIjIzxUwEL6Qs2oXJqwPSFWNmfMkcACG3VK3C3lyxnp7YJTkEd9/eLeGh/8Wr76JziEC7BSPwV4DtUOZMS5xPNwSAQdAiGxo5GsUkHUAXQCTJz2XMOlKoA+Bs+dumyPw58FEvS0wMqkVDFqqcg8scgo4RCZcv9B+JTIHT/jk1cmFI8cAMYAECngto6tkL0K2PNQZ3lhn0sB5Aak7ypLOzBkYMZKmBzTUzjDsLr8sqYxGrKe+pdOeIUzjpc+M3GVjaxm2r4UHJ/dVdknaJkTgV0QErEJSeILm5nPAFCnLJYI33DLz0QkfbIL6xA11DRKZ+lEcGa9ChImRNe5YcS9uLPh+oyEQUhNIt/KaGT85jC9/Sd1aADSuGilHfxw5FyYeoFNarNXcy69wFmSLrAYWsiSEYCsRunTv0kLELX9mcyGlUbEVf3cCEUd2WUJvfLxxaGzad0LCvvObjXHj3bWTOYnvFtq5pKna550yLZLS02u5D0BMLZHh8GZq//YU38XSceAHEz+73/79HF+gg5qwXpV9GBsK9rBbi7zoy9WhivQdF1JiqIvX96oj2aUtOJyeyQcZZmDqvy8FGVAVfRg0PSC0CLx+H6Aqh6eNJwkJlaZ94w==";
