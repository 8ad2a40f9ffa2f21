"""Plan: dated actions (a champions network in Sales from March, training for everyone in the
autumn), their projected effect on the organization's curve, whether the actions already started
worked (measured usage), and the survey waves that follow the plan up.

The plan is kept with what is shown: a draft keeps it in its autosave, a saved assessment as its
next version. Growth scenarios, Results and the report show the same projected effect.
"""

import streamlit as st

from pages.shared import drafts
from pages.shared.auth import Action, may
from pages.shared.boundary import through_router
from pages.shared.display import InputError, show_chart, show_chart_with_png, show_problems
from pages.shared.drafts import assessed_on
from pages.shared.session import (
    current_answers,
    current_mapping_choice,
    current_plan,
    current_plan_effect,
    current_profile,
    digest_of,
    questionnaire,
    rulebook,
    score,
    store,
)
from readiness.views.plan import (
    COLUMNS,
    DIVISIONS_COLUMN,
    END_COLUMN,
    KIND_COLUMN,
    MAX_ACTIONS,
    NOTE_COLUMN,
    PLAN_FILE_NAME,
    SHARE_COLUMN,
    START_COLUMN,
    Plan,
    action_checks,
    add_wave,
    effect_view,
    escape_markdown,
    keep_measured,
    kind_labels,
    kinds_explained,
    last_measured_month,
    measured_usage,
    month_label,
    plan_download,
    plan_from_rows,
    plan_rows,
    read_plan_upload,
    read_wave,
    saved_line,
    survey_divisions,
    wave_date,
    wave_groups,
    wave_labels,
    waves_view,
    worth_keeping,
)

through_router()

active_store = store()
opened = drafts.current(active_store)
q = questionnaire()
names = {d.id: d.name for d in q.dimensions}
answers = current_answers()
profile, _ = current_profile()
plan = current_plan()
viewing = opened is not None and opened.viewing
organization = profile.organization if profile is not None else None
editable = may(Action.edit if viewing else Action.draft, organization)

st.title("Plan", anchor=False)
st.caption(
    "Dated actions and what they are expected to do to your organization's adoption curve; "
    "once they have started, whether measured usage says they worked; and the survey waves "
    "that follow them up."
)
if profile is not None:
    st.text(" / ".join(filter(None, [profile.organization, profile.division])))  # never Markdown
if opened is not None and opened.stored is not None and viewing:
    st.caption(f"{saved_line(opened.stored)}.")
# what the last button kept, said in the part of the page where it was clicked
told_part, told = st.session_state.pop("plan_told", None) or ("", "")


def tell(part: str) -> None:
    if told_part == part:
        st.success(told, icon=":material/check_circle:")


# --- the plan ----------------------------------------------------------------------------------

st.header("The plan", anchor=False)
with st.expander("Kinds of action and what each is assumed to change (data/actions.yaml)"):
    st.text("\n\n".join(kinds_explained(names)))
divisions = survey_divisions(st.session_state.get("survey_summary"))
generation = int(st.session_state.get("plan_generation", 0))
edited = st.data_editor(
    plan_rows(plan, as_lists=bool(divisions)),
    key=f"plan_editor_{generation}",  # a new key after each save: the table shows the kept plan
    num_rows="dynamic" if editable else "fixed",
    disabled=not editable,
    hide_index=True,
    column_order=COLUMNS,
    column_config={
        KIND_COLUMN: st.column_config.SelectboxColumn(
            KIND_COLUMN, options=kind_labels(), required=True, width="medium"
        ),
        START_COLUMN: st.column_config.DateColumn(START_COLUMN, format="YYYY-MM-DD"),
        END_COLUMN: st.column_config.DateColumn(
            END_COLUMN, format="YYYY-MM-DD", help="Optional: a campaign's last day."
        ),
        DIVISIONS_COLUMN: (
            st.column_config.MultiselectColumn(
                DIVISIONS_COLUMN,
                options=divisions,
                accept_new_options=True,
                help="The survey's divisions; none for the whole organization.",
            )
            if divisions
            else st.column_config.TextColumn(
                DIVISIONS_COLUMN,
                help="Comma separated; empty for the whole organization.",
            )
        ),
        SHARE_COLUMN: st.column_config.NumberColumn(
            SHARE_COLUMN,
            min_value=0.0,
            max_value=100.0,
            format="%.0f%%",
            help="The share of all staff in the named divisions; empty for the whole organization.",
        ),
        NOTE_COLUMN: st.column_config.TextColumn(NOTE_COLUMN, max_chars=500),
    },
    alt="The plan's actions: kind, start, end, divisions, staff share and note",
)
st.caption(
    f"At most {MAX_ACTIONS} actions. A scope of named divisions needs the share of all staff "
    "in them; without divisions an action is for the whole organization."
)


def keep(new_plan: Plan | None, what: str, part: str) -> None:
    """Keep ``new_plan`` with what is shown, then show the table afresh."""
    where = drafts.keep_plan(active_store, new_plan)
    if where is not None:
        st.session_state["plan_told"] = (part, f"{what} {where}")
        st.session_state["plan_generation"] = generation + 1
        st.rerun()


def download_plan(plan: Plan) -> None:
    st.download_button(
        "Download the plan",
        plan_download(plan),
        PLAN_FILE_NAME,
        "application/yaml",
        icon=":material/download:",
        on_click="ignore",
    )


if editable:
    with st.container(horizontal=True):
        save_clicked = st.button(
            "Save the plan", icon=":material/save:", type="primary", key="plan_save"
        )
        if plan is not None:
            download_plan(plan)
    tell("plan")
    if save_clicked:
        try:
            keep(worth_keeping(plan_from_rows(edited, plan)), "Plan saved.", "plan")
        except InputError as error:  # the table keeps what was typed
            show_problems(error, title="The plan was not saved")
    with st.expander("Upload a plan file", icon=":material/upload_file:"):
        st.caption(
            "A YAML or JSON plan file, as downloaded here or written for `readiness project "
            "--plan`. It replaces the actions, measured effects and waves above."
        )
        uploaded = st.file_uploader("Plan file", type=["yaml", "yml", "json"], key="plan_file")
        if uploaded is not None:
            try:
                from_file = read_plan_upload(uploaded.getvalue(), uploaded.name)
            except InputError as error:
                show_problems(error, title="The plan file could not be read")
            else:
                st.text(f"{uploaded.name}: {len(from_file.actions)} action(s).")  # user text
                if st.button("Use this plan", icon=":material/check:"):
                    keep(from_file, "Plan from the file saved.", "plan")
else:
    st.caption("Your role shows the plan; it does not change it.")
    if plan is not None:
        download_plan(plan)

# --- the projected effect ----------------------------------------------------------------------

st.header("Projected effect", anchor=False)
scores = score(answers) if any(v is not None for v in answers.values()) else None
effect = None if scores is None else current_plan_effect(scores, answers, assessed_on(opened))
if scores is None:
    st.info("Answer the questionnaire to project the plan's effect.", icon=":material/info:")
    st.page_link(
        "pages/questionnaire.py", label="Open the questionnaire", icon=":material/edit_note:"
    )
elif effect is None:
    st.info(
        "Add dated actions above and save the plan to see how they move your organization's curve.",
        icon=":material/info:",
    )
else:
    shown = effect_view(effect)
    st.info(shown.sentence, icon=":material/event_note:")  # kinds and dates: no user text
    show_chart_with_png(shown.chart, "plan-effect.png")
    st.table(shown.milestones, hide_index=True)
    st.caption(
        "Month and year the organization reaches the material change, 50% and 80%, without and "
        "with the plan."
    )
    st.subheader("Which action brings most", anchor=False)
    if shown.most:
        st.text(shown.most)  # action labels name divisions: user text
    st.dataframe(shown.contributions, hide_index=True, on_select="ignore")
    with st.expander("What each action is assumed to change"):
        st.dataframe(shown.actions, hide_index=True, on_select="ignore")
    for note in shown.notes:
        st.caption(escape_markdown(note))  # notes name divisions: user text

# --- did it work? ------------------------------------------------------------------------------

st.header("Did it work?", anchor=False)
measured = measured_usage(st.session_state.get("measured_view"))
if measured is None:
    st.info(
        "Upload usage exports on Measured adoption: actions that have started are then checked "
        "against the measured monthly active share.",
        icon=":material/monitoring:",
    )
    st.page_link("pages/measured.py", label="Open Measured adoption", icon=":material/monitoring:")
elif plan is None or plan.empty:
    st.write("Add actions to the plan to check them against measured usage.")
else:
    choice = current_mapping_choice()
    checks_key = digest_of(
        str(st.session_state.get("measured_digest")),
        plan_download(plan),
        "" if effect is None else effect.sentence,
        "" if choice is None or choice.division_map is None else choice.division_map.to_json(),
    )
    kept_checks = st.session_state.get("plan_checks")
    if not isinstance(kept_checks, tuple) or kept_checks[0] != checks_key:
        with st.spinner("Fitting each started action to the measured usage ..."):
            kept_checks = (
                checks_key,
                action_checks(measured, plan, effect, choice.division_map if choice else None),
            )
        st.session_state["plan_checks"] = kept_checks
    st.caption(
        f"Measured usage to {month_label(last_measured_month(measured))}: each started "
        "action's scope fitted with the action (Generalized Bass Model) and without it (plain "
        "Bass), the curve without it drawn dashed."
    )
    for check in kept_checks[1]:
        with st.container(border=True):
            st.markdown(f"**{check.number}. {escape_markdown(check.heading)}**")
            if check.problem is not None:
                st.text(check.problem)  # division names are user text
                continue
            (st.info if check.too_early else st.success)(
                escape_markdown(check.sentence),  # it names the action's divisions
                icon=":material/hourglass_empty:" if check.too_early else ":material/insights:",
            )
            if check.figures:
                with st.container(horizontal=True):
                    for label, value, help_text in check.figures:
                        st.metric(label, value, help=help_text, border=True)
            if check.chart is not None:
                show_chart(check.chart)
            st.caption(check.test)
            if check.plan_sentence:
                st.text(check.plan_sentence)
            tell(f"check {check.number}")
            if check.keep is not None and editable:
                if check.kept:
                    st.caption("The plan keeps this measured effect for its kind.")
                elif st.button(
                    "Keep the measured effect in the plan",
                    icon=":material/bookmark_add:",
                    key=f"plan_keep_{check.number}",
                    help="The plan then uses the measured effect for this kind of action, in "
                    "place of the assumption of data/actions.yaml.",
                ):
                    keep(
                        keep_measured(plan, check.kind, check.keep),
                        "Measured effect kept.",
                        f"check {check.number}",
                    )

# --- survey waves ------------------------------------------------------------------------------

st.header("Survey waves", anchor=False)
st.caption(
    "The same questionnaire answered again: each wave is kept with the plan (its scores per "
    "division, not the answers), so waves and actions share one timeline."
)
if plan is not None and plan.waves:
    st.text("\n".join(wave_labels(plan)))  # labels are user text
tell("waves")
groups = wave_groups(plan)
if st.session_state.get("plan_wave_group") not in groups:  # a group of waves no longer kept
    st.session_state["plan_wave_group"] = groups[0]
waves = waves_view(plan, st.session_state["plan_wave_group"], names)
if waves.sentences:
    st.info(
        "\n\n".join(escape_markdown(s) for s in waves.sentences), icon=":material/compare_arrows:"
    )
if waves.method:
    st.caption(waves.method)
if waves.chart is not None:
    st.selectbox("Group", groups, key="plan_wave_group", width=320)
    show_chart(waves.chart)
if waves.timeline is not None:
    show_chart_with_png(waves.timeline, "plan-timeline.png")

if editable:
    with st.container(border=True):
        st.markdown("**Add a survey wave**")
        # a new uploader, label and date after each wave added
        wave_round = int(st.session_state.get("plan_wave_round", 0))
        wave_file = st.file_uploader(
            "Respondents CSV", type=["csv"], key=f"plan_wave_file_{wave_round}"
        )
        kept_survey = st.session_state.get("survey_upload")  # (bytes, name) from Survey upload
        source = (wave_file.getvalue(), wave_file.name) if wave_file is not None else None
        if (
            source is None
            and kept_survey is not None
            and st.checkbox(
                "Use the survey uploaded in this session", key=f"plan_wave_use_{wave_round}"
            )
        ):
            source = kept_survey
            st.text(f"Survey: {kept_survey[1]}")  # a file name is user text
        if source is not None:
            # the file's date is read once per file, not on every rerun (a large export: 0.15 s)
            digest = digest_of(*source)
            dated = st.session_state.get("plan_wave_dated")
            if not isinstance(dated, tuple) or dated[0] != digest:
                dated = (digest, wave_date(*source))
                st.session_state["plan_wave_dated"] = dated
            found_date, date_note = dated[1]
            left, right = st.columns(2)
            label = left.text_input(
                "Label",
                value=f"Wave {len(plan.waves) + 1 if plan is not None else 1}",
                max_chars=100,
                key=f"plan_wave_label_{wave_round}",
            )
            when = right.date_input(
                "Surveyed on", value=found_date, key=f"plan_wave_date_{wave_round}_{found_date}"
            )
            st.caption(escape_markdown(date_note))  # it names the file and its column
            if st.button("Add the wave", icon=":material/add:", key="plan_wave_add"):
                try:
                    wave = read_wave(q, rulebook(), *source, label, when)
                    added = add_wave(plan, wave)
                except InputError as error:
                    show_problems(error, title="The wave was not added")
                else:
                    st.session_state["plan_wave_round"] = wave_round + 1
                    keep(added, f"Wave {wave.label!r} added.", "waves")
