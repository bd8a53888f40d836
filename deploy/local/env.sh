# Settings shared by up.sh and down.sh; override any of them in the environment.
repo="$(cd "$(dirname "${BASH_SOURCE[0]}")/../.." && pwd)"
run_dir="${COMPLAINTS_RUN_DIR:-$repo/.run}"
build_dir="${COMPLAINTS_BUILD_DIR:-$repo/build}"
export KAFKA_PORT="${KAFKA_PORT:-9092}"
export KAFKA_DATA_DIR="${KAFKA_DATA_DIR:-$run_dir/kafka}"
brokers="127.0.0.1:$KAFKA_PORT"
# A local mail catcher (aiosmtpd) that keeps what intake mails complainants in
# $run_dir/mail (a Maildir).
smtp_port="${SMTP_PORT:-2525}"
# The local certificate authority and every identity's certificate
# (scripts/pki.sh local): the services require client certificates from it.
pki_dir="${COMPLAINTS_PKI_DIR:-$run_dir/pki}"
# Intake's key-encryption key and subject secret (up.sh makes them once).
keys_dir="${COMPLAINTS_KEYS_DIR:-$run_dir/keys}"
services=(intake dispatch tracking analytics)
# The writers' record keys (up.sh makes them once) and, for a .run/ made
# before records were signed, the offsets below which records are unsigned.
writers_dir="$keys_dir/writers"
unauthenticated_file="$keys_dir/unauthenticated-before.textproto"
record_flags() {
  echo "--writer_keys_dir=$writers_dir"
  if [ -f "$unauthenticated_file" ]; then echo "--unauthenticated_before=$unauthenticated_file"; fi
}
# Kafka flags of `service`: its own SASL/SCRAM user (kafka.sh made the password).
kafka_flags() {
  echo "--kafka_user=$1 --kafka_password_file=$KAFKA_DATA_DIR/users/$1.password"
}
# mTLS flags of `service`: its certificate from the local CA.
tls_flags() {
  echo "--tls_ca=$pki_dir/ca.crt --tls_cert=$pki_dir/service/$1.crt --tls_key=$pki_dir/service/$1.key"
}
declare -A service_port=(
  [intake]="${INTAKE_PORT:-50051}" [dispatch]="${DISPATCH_PORT:-50052}"
  [tracking]="${TRACKING_PORT:-50053}" [analytics]="${ANALYTICS_PORT:-50054}")
# Each service's status port: /healthz, /readyz, /metrics.
declare -A status_port=(
  [intake]="${INTAKE_STATUS_PORT:-8091}" [dispatch]="${DISPATCH_STATUS_PORT:-8092}"
  [tracking]="${TRACKING_STATUS_PORT:-8093}" [analytics]="${ANALYTICS_STATUS_PORT:-8094}")
declare -A service_flags=(
  [intake]="--smtp_url=smtp://127.0.0.1:$smtp_port --mail_from=complaints@centre.local --kek_file=$keys_dir/kek --subject_secret_file=$keys_dir/subject_secret"
  [dispatch]="" [tracking]=""
  [analytics]="--token_key_file=$keys_dir/token_key --http_listen=127.0.0.1:${ANALYTICS_HTTP_PORT:-8084} --dashboard_dir=$build_dir/web/dashboard")
ctl() {
  "$build_dir/tools/complaintctl/complaintctl" \
    --intake="127.0.0.1:${service_port[intake]}" --dispatch="127.0.0.1:${service_port[dispatch]}" \
    --tracking="127.0.0.1:${service_port[tracking]}" --analytics="127.0.0.1:${service_port[analytics]}" \
    --brokers="$brokers" --pki_dir="$pki_dir" \
    --kafka_password_file="$KAFKA_DATA_DIR/users/admin.password" "$@"
}
