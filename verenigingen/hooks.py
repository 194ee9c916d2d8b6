app_name = "verenigingen"
app_title = "Verenigingen"
app_publisher = "Verenigingen developers"
app_description = "Membership administration for Dutch associations: Mijnrood import, member accounts, monitoring"
app_email = "dev@verenigingen.invalid"
app_license = "agpl-3.0"

# Install / uninstall
# -------------------
after_install = "verenigingen.setup.install.after_install"
after_migrate = "verenigingen.setup.install.after_migrate"
before_uninstall = "verenigingen.setup.install.before_uninstall"

# Permissions
# -----------
# A "Verenigingen Member" sees only the Member record linked to their own User.
permission_query_conditions = {
	"Member": "verenigingen.permissions.member_query_conditions",
}
has_permission = {
	"Member": "verenigingen.permissions.member_has_permission",
}
