--
-- PostgreSQL database dump
--

\restrict jUBycFFbPA9t5nDDlnoLEwZE3Y8oJtmgfSZhgIA90RZeQs403JmvP1b1PZtH56l

-- Dumped from database version 15.18 (Debian 15.18-0+deb12u1)
-- Dumped by pg_dump version 15.18 (Debian 15.18-0+deb12u1)

SET statement_timeout = 0;
SET lock_timeout = 0;
SET idle_in_transaction_session_timeout = 0;
SET client_encoding = 'UTF8';
SET standard_conforming_strings = on;
SELECT pg_catalog.set_config('search_path', '', false);
SET check_function_bodies = false;
SET xmloption = content;
SET client_min_messages = warning;
SET row_security = off;

SET default_tablespace = '';

SET default_table_access_method = heap;

--
-- Name: assessment_versions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessment_versions (
    assessment_id integer NOT NULL,
    version integer NOT NULL,
    organization character varying(200) NOT NULL,
    division character varying(200),
    sector character varying(20),
    size character varying(20),
    assessed_on date NOT NULL,
    questionnaire_version character varying(50) NOT NULL,
    answers_json text NOT NULL,
    scores_json text NOT NULL,
    overall double precision,
    stage_level integer,
    stage_name character varying(100),
    saved_at timestamp without time zone NOT NULL,
    submission_id character varying(200)
);


--
-- Name: assessments; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.assessments (
    id integer NOT NULL,
    organization character varying(200) NOT NULL,
    division character varying(200),
    sector character varying(20),
    size character varying(20),
    assessed_on date NOT NULL,
    questionnaire_version character varying(50) NOT NULL,
    answers_json text NOT NULL,
    scores_json text NOT NULL,
    overall double precision,
    stage_level integer,
    stage_name character varying(100),
    created_at timestamp without time zone NOT NULL,
    submission_id character varying(200),
    updated_at timestamp without time zone,
    version integer
);


--
-- Name: assessments_id_seq; Type: SEQUENCE; Schema: public; Owner: -
--

CREATE SEQUENCE public.assessments_id_seq
    AS integer
    START WITH 1
    INCREMENT BY 1
    NO MINVALUE
    NO MAXVALUE
    CACHE 1;


--
-- Name: assessments_id_seq; Type: SEQUENCE OWNED BY; Schema: public; Owner: -
--

ALTER SEQUENCE public.assessments_id_seq OWNED BY public.assessments.id;


--
-- Name: drafts; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.drafts (
    id character varying(200) NOT NULL,
    profile_json text,
    answers_json text NOT NULL,
    updated_at timestamp without time zone NOT NULL,
    assessment_id integer
);


--
-- Name: schema_version; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.schema_version (
    version integer NOT NULL,
    description character varying(200) NOT NULL,
    applied_at timestamp without time zone NOT NULL
);


--
-- Name: submissions; Type: TABLE; Schema: public; Owner: -
--

CREATE TABLE public.submissions (
    id character varying(200) NOT NULL,
    assessment_id integer NOT NULL,
    version integer NOT NULL,
    saved_at timestamp without time zone NOT NULL
);


--
-- Name: assessments id; Type: DEFAULT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments ALTER COLUMN id SET DEFAULT nextval('public.assessments_id_seq'::regclass);


--
-- Data for Name: assessment_versions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessment_versions VALUES (1, 1, 'Acme Ltd', 'Sales', 'private', '250-999', '2026-01-01', '2026.1', '{"gr_active_share": 0.0, "gr_projects": 1.0, "gr_self_start": 3, "gr_find_answers": 4, "gr_only_when_asked": 5, "gr_cross_boundary": 1, "gr_email_habit": 2, "gr_managers_take_part": 3, "su_evangelists": 8.0, "su_local_support_share": 9.0, "su_lead": "it", "su_sponsor": 2, "su_local_help": 3, "su_time_to_contribute": 4, "su_unexplained_rollout": 5, "su_recognition": 1, "to_slates": ["links", "tags", "signals"], "to_common_platform": 3, "to_access_share": 18.0, "to_easy_to_use": 5, "to_rigid_structure": 1, "to_reach": 2, "to_integration": 3, "cx_org_model": "dandelion", "cx_projects_aware": 5}', '{"overall": 41.525925925925925, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Readiness index at least 25 and below 45 of 100: some of the conditions for adoption are in place, others are missing."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 30.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 39.8, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 54.77777777777778, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "dandelion", "org_model_reason": "as answered", "recommendations": [{"id": "it-led", "title": "Hand the lead to the business", "advice": "IT leads the initiative. Find a business owner for it and keep IT as the enabler: over 70% of IT-led social initiatives fail, against about half of business-led ones succeeding.", "reason": "Who leads the initiative: IT", "priority": 1, "source": "Gartner, Predicts 2010"}, {"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (30/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "explain-the-purpose", "title": "Explain what each tool is for", "advice": "Tools arrived without anyone explaining what they are for. For each tool, say which work it replaces (meeting minutes on the wiki, status updates on the microblog) and show an example.", "reason": "Tools arrived unexplained: Strongly agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}, {"id": "stage-experimenting", "title": "Share success stories and settle on one platform", "advice": "Publish what the first teams achieved, settle on one common platform if there is none yet, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 41.525925925925925, 2, 'Experimenting', '2026-11-30 06:33:32.025315', 's3-a1');
INSERT INTO public.assessment_versions VALUES (2, 1, 'Müller & Söhne', NULL, 'private', '250-999', '2026-01-02', '2026.1', '{"gr_active_share": 1.0, "gr_projects": 2.0, "gr_self_start": 4, "gr_find_answers": 5, "gr_only_when_asked": 1, "gr_cross_boundary": 2, "gr_email_habit": 3, "gr_managers_take_part": 4, "su_evangelists": 9.0, "su_local_support_share": 10.0, "su_lead": "nobody", "su_sponsor": 3, "su_local_help": 4, "su_time_to_contribute": 5, "su_unexplained_rollout": 1, "su_recognition": 2, "to_slates": ["search", "authoring", "extensions"], "to_common_platform": 4, "to_access_share": 19.0, "to_easy_to_use": 1, "to_rigid_structure": 2, "to_reach": 3, "to_integration": 4, "cx_org_model": "honeycomb", "cx_projects_aware": 1}', '{"overall": 53.77777777777778, "stage": {"level": 3, "name": "Spreading", "min": 45.0, "description": "Readiness index at least 45 and below 65 of 100: on balance, the conditions for use to spread beyond the first teams are partly in place."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 52.22222222222222, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 57.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 52.11111111111111, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "tooling", "lever": "support", "barrier": false, "org_model": null, "org_model_reason": "answered Holistic (honeycomb), but other answers contradict it (Staff active monthly: 1%; Divisions with local support: 10%)", "recommendations": [{"id": "nobody-leads", "title": "Find a business sponsor to lead", "advice": "Nobody leads the initiative. A visible business sponsor gives people permission to spend time on the tools and signals that contributions count.", "reason": "Who leads the initiative: Nobody", "priority": 1, "source": "Gartner, Predicts 2010; McAfee 2006"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "There are several independent projects, and they do not know of each other: good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 2; Projects know of each other: Strongly disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "add-signals", "title": "Add signals: alerts and feeds", "advice": "The platform has no alerts or feeds on new content, so good content stays unseen until someone looks for it. Switch on notifications and feeds for the social tools.", "reason": "SLATES capabilities: search, authoring, extensions (no signals)", "priority": 3, "source": "McAfee, SLATES, 2006"}]}', 53.77777777777778, 3, 'Spreading', '2026-11-30 06:33:32.035719', 's3-a2');
INSERT INTO public.assessment_versions VALUES (3, 1, 'Acme Ltd', 'Support', 'private', '250-999', '2026-01-03', '2026.1', '{"gr_active_share": 2.0, "gr_projects": 3.0, "gr_self_start": 5, "gr_find_answers": 1, "gr_only_when_asked": 2, "gr_cross_boundary": 3, "gr_email_habit": 4, "gr_managers_take_part": 5, "su_evangelists": 10.0, "su_local_support_share": 11.0, "su_lead": "business", "su_sponsor": 4, "su_local_help": 5, "su_time_to_contribute": 1, "su_unexplained_rollout": 2, "su_recognition": 3, "to_slates": ["links", "tags", "signals"], "to_common_platform": 5, "to_access_share": 20.0, "to_easy_to_use": 2, "to_rigid_structure": 3, "to_reach": 4, "to_integration": 5, "cx_org_model": "organic", "cx_projects_aware": 2}', '{"overall": 57.400000000000006, "stage": {"level": 3, "name": "Spreading", "min": 45.0, "description": "Readiness index at least 45 and below 65 of 100: on balance, the conditions for use to spread beyond the first teams are partly in place."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 46.666666666666664, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 62.20000000000001, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 63.333333333333336, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "organic", "org_model_reason": "as answered", "recommendations": [{"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (47/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "There are several independent projects, and they do not know of each other: good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 3; Projects know of each other: Disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "time-to-contribute", "title": "Make contributing part of the job", "advice": "People are not allowed time at work to contribute. Say explicitly that documenting and answering on the tools is work, and let managers recognise it.", "reason": "Time to contribute: Strongly disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006 (managerial support)"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}]}', 57.400000000000006, 3, 'Spreading', '2026-11-30 06:33:32.042997', 's3-a3');
INSERT INTO public.assessment_versions VALUES (3, 2, 'Acme Ltd', 'Support', 'private', '250-999', '2026-01-03', '2026.1', '{"gr_active_share": 5, "gr_projects": 3.0, "gr_self_start": 5, "gr_find_answers": 1, "gr_only_when_asked": 2, "gr_cross_boundary": 3, "gr_email_habit": 4, "gr_managers_take_part": 5, "su_evangelists": 10.0, "su_local_support_share": 11.0, "su_lead": "business", "su_sponsor": 4, "su_local_help": 5, "su_time_to_contribute": 1, "su_unexplained_rollout": 2, "su_recognition": 3, "to_slates": ["links", "tags", "signals"], "to_common_platform": 5, "to_access_share": 20.0, "to_easy_to_use": 2, "to_rigid_structure": 3, "to_reach": 4, "to_integration": 5, "cx_org_model": "organic", "cx_projects_aware": 2}', '{"overall": 57.955555555555556, "stage": {"level": 3, "name": "Spreading", "min": 45.0, "description": "Readiness index at least 45 and below 65 of 100: on balance, the conditions for use to spread beyond the first teams are partly in place."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 48.33333333333333, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 62.20000000000001, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 63.333333333333336, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "organic", "org_model_reason": "as answered", "recommendations": [{"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (48/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "There are several independent projects, and they do not know of each other: good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 3; Projects know of each other: Disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "time-to-contribute", "title": "Make contributing part of the job", "advice": "People are not allowed time at work to contribute. Say explicitly that documenting and answering on the tools is work, and let managers recognise it.", "reason": "Time to contribute: Strongly disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006 (managerial support)"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}]}', 57.955555555555556, 3, 'Spreading', '2026-11-30 06:33:32.055077', 'update-ccf009966b8b456a8efa8e75833b3926');
INSERT INTO public.assessment_versions VALUES (1, 2, 'Acme Ltd', 'Sales', 'private', '250-999', '2026-01-06', '2026.1', '{"gr_active_share": 5.0, "gr_projects": 6.0, "gr_self_start": 3, "gr_find_answers": 4, "gr_only_when_asked": 5, "gr_cross_boundary": 1, "gr_email_habit": 2, "gr_managers_take_part": 3, "su_evangelists": 13.0, "su_local_support_share": 14.0, "su_lead": "nobody", "su_sponsor": 2, "su_local_help": 3, "su_time_to_contribute": 4, "su_unexplained_rollout": 5, "su_recognition": 1, "to_slates": ["search", "authoring", "extensions"], "to_common_platform": 3, "to_access_share": 23.0, "to_easy_to_use": 5, "to_rigid_structure": 1, "to_reach": 2, "to_integration": 3, "cx_org_model": "dandelion", "cx_projects_aware": 5}', '{"overall": 44.93333333333334, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Readiness index at least 25 and below 45 of 100: some of the conditions for adoption are in place, others are missing."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 41.666666666666664, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 37.8, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 55.33333333333334, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "support", "lever": "support", "barrier": true, "org_model": "dandelion", "org_model_reason": "as answered", "recommendations": [{"id": "nobody-leads", "title": "Find a business sponsor to lead", "advice": "Nobody leads the initiative. A visible business sponsor gives people permission to spend time on the tools and signals that contributions count.", "reason": "Who leads the initiative: Nobody", "priority": 1, "source": "Gartner, Predicts 2010; McAfee 2006"}, {"id": "barrier-support", "title": "Support is the barrier: invest in people before tools", "advice": "Support scores below 50 and holds growth back most: raising it brings the material change earliest (Growth scenarios shows by how many months). Local champions, evangelists and a sponsor raise the rate at which new people start (the innovation rate of the growth curve).", "reason": "biggest lever: Support (38/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Enterprise 2.0: All Talk and No Action? (2009), discussion"}, {"id": "explain-the-purpose", "title": "Explain what each tool is for", "advice": "Tools arrived without anyone explaining what they are for. For each tool, say which work it replaces (meeting minutes on the wiki, status updates on the microblog) and show an example.", "reason": "Tools arrived unexplained: Strongly agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "add-signals", "title": "Add signals: alerts and feeds", "advice": "The platform has no alerts or feeds on new content, so good content stays unseen until someone looks for it. Switch on notifications and feeds for the social tools.", "reason": "SLATES capabilities: search, authoring, extensions (no signals)", "priority": 3, "source": "McAfee, SLATES, 2006"}, {"id": "stage-experimenting", "title": "Share success stories and settle on one platform", "advice": "Publish what the first teams achieved, settle on one common platform if there is none yet, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 44.93333333333334, 2, 'Experimenting', '2026-11-30 06:33:32.07502', 's3-a1-edit');
INSERT INTO public.assessment_versions VALUES (1, 3, 'Acme Ltd', 'Sales', 'private', '250-999', '2026-01-01', '2026.1', '{"gr_active_share": 0.0, "gr_projects": 1.0, "gr_self_start": 3, "gr_find_answers": 4, "gr_only_when_asked": 5, "gr_cross_boundary": 1, "gr_email_habit": 2, "gr_managers_take_part": 3, "su_evangelists": 8.0, "su_local_support_share": 9.0, "su_lead": "it", "su_sponsor": 2, "su_local_help": 3, "su_time_to_contribute": 4, "su_unexplained_rollout": 5, "su_recognition": 1, "to_slates": ["links", "tags", "signals"], "to_common_platform": 3, "to_access_share": 18.0, "to_easy_to_use": 5, "to_rigid_structure": 1, "to_reach": 2, "to_integration": 3, "cx_org_model": "dandelion", "cx_projects_aware": 5}', '{"overall": 41.525925925925925, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Readiness index at least 25 and below 45 of 100: some of the conditions for adoption are in place, others are missing."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 30.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 39.8, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 54.77777777777778, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "dandelion", "org_model_reason": "as answered", "recommendations": [{"id": "it-led", "title": "Hand the lead to the business", "advice": "IT leads the initiative. Find a business owner for it and keep IT as the enabler: over 70% of IT-led social initiatives fail, against about half of business-led ones succeeding.", "reason": "Who leads the initiative: IT", "priority": 1, "source": "Gartner, Predicts 2010"}, {"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (30/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "explain-the-purpose", "title": "Explain what each tool is for", "advice": "Tools arrived without anyone explaining what they are for. For each tool, say which work it replaces (meeting minutes on the wiki, status updates on the microblog) and show an example.", "reason": "Tools arrived unexplained: Strongly agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}, {"id": "stage-experimenting", "title": "Share success stories and settle on one platform", "advice": "Publish what the first teams achieved, settle on one common platform if there is none yet, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 41.525925925925925, 2, 'Experimenting', '2026-11-30 06:33:32.089838', 's3-a1-restore');


--
-- Data for Name: assessments; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.assessments VALUES (2, 'Müller & Söhne', NULL, 'private', '250-999', '2026-01-02', '2026.1', '{"gr_active_share": 1.0, "gr_projects": 2.0, "gr_self_start": 4, "gr_find_answers": 5, "gr_only_when_asked": 1, "gr_cross_boundary": 2, "gr_email_habit": 3, "gr_managers_take_part": 4, "su_evangelists": 9.0, "su_local_support_share": 10.0, "su_lead": "nobody", "su_sponsor": 3, "su_local_help": 4, "su_time_to_contribute": 5, "su_unexplained_rollout": 1, "su_recognition": 2, "to_slates": ["search", "authoring", "extensions"], "to_common_platform": 4, "to_access_share": 19.0, "to_easy_to_use": 1, "to_rigid_structure": 2, "to_reach": 3, "to_integration": 4, "cx_org_model": "honeycomb", "cx_projects_aware": 1}', '{"overall": 53.77777777777778, "stage": {"level": 3, "name": "Spreading", "min": 45.0, "description": "Readiness index at least 45 and below 65 of 100: on balance, the conditions for use to spread beyond the first teams are partly in place."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 52.22222222222222, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 57.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 52.11111111111111, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "tooling", "lever": "support", "barrier": false, "org_model": null, "org_model_reason": "answered Holistic (honeycomb), but other answers contradict it (Staff active monthly: 1%; Divisions with local support: 10%)", "recommendations": [{"id": "nobody-leads", "title": "Find a business sponsor to lead", "advice": "Nobody leads the initiative. A visible business sponsor gives people permission to spend time on the tools and signals that contributions count.", "reason": "Who leads the initiative: Nobody", "priority": 1, "source": "Gartner, Predicts 2010; McAfee 2006"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "There are several independent projects, and they do not know of each other: good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 2; Projects know of each other: Strongly disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "add-signals", "title": "Add signals: alerts and feeds", "advice": "The platform has no alerts or feeds on new content, so good content stays unseen until someone looks for it. Switch on notifications and feeds for the social tools.", "reason": "SLATES capabilities: search, authoring, extensions (no signals)", "priority": 3, "source": "McAfee, SLATES, 2006"}]}', 53.77777777777778, 3, 'Spreading', '2026-11-30 06:33:32.035719', 's3-a2', '2026-11-30 06:33:32.035719', 1);
INSERT INTO public.assessments VALUES (3, 'Acme Ltd', 'Support', 'private', '250-999', '2026-01-03', '2026.1', '{"gr_active_share": 5, "gr_projects": 3.0, "gr_self_start": 5, "gr_find_answers": 1, "gr_only_when_asked": 2, "gr_cross_boundary": 3, "gr_email_habit": 4, "gr_managers_take_part": 5, "su_evangelists": 10.0, "su_local_support_share": 11.0, "su_lead": "business", "su_sponsor": 4, "su_local_help": 5, "su_time_to_contribute": 1, "su_unexplained_rollout": 2, "su_recognition": 3, "to_slates": ["links", "tags", "signals"], "to_common_platform": 5, "to_access_share": 20.0, "to_easy_to_use": 2, "to_rigid_structure": 3, "to_reach": 4, "to_integration": 5, "cx_org_model": "organic", "cx_projects_aware": 2}', '{"overall": 57.955555555555556, "stage": {"level": 3, "name": "Spreading", "min": 45.0, "description": "Readiness index at least 45 and below 65 of 100: on balance, the conditions for use to spread beyond the first teams are partly in place."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 48.33333333333333, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 62.20000000000001, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 63.333333333333336, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "organic", "org_model_reason": "as answered", "recommendations": [{"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (48/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "connect-unconnected-projects", "title": "Connect the grassroots projects on a common platform; do not centralise yet", "advice": "There are several independent projects, and they do not know of each other: good evidence of real interest and value. Make them able to find and link to each other (a common platform, a directory of communities), but hold back on central coordination: coordinating too early squelches grassroots efforts.", "reason": "Independent E2.0 projects: 3; Projects know of each other: Disagree", "priority": 2, "source": "Enterprise 2.0: All Talk and No Action? (2009), discussion; McAfee 2006"}, {"id": "time-to-contribute", "title": "Make contributing part of the job", "advice": "People are not allowed time at work to contribute. Say explicitly that documenting and answering on the tools is work, and let managers recognise it.", "reason": "Time to contribute: Strongly disagree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006 (managerial support)"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}]}', 57.955555555555556, 3, 'Spreading', '2026-11-30 06:33:32.042997', 's3-a3', '2026-11-30 06:33:32.055077', 2);
INSERT INTO public.assessments VALUES (1, 'Acme Ltd', 'Sales', 'private', '250-999', '2026-01-01', '2026.1', '{"gr_active_share": 0.0, "gr_projects": 1.0, "gr_self_start": 3, "gr_find_answers": 4, "gr_only_when_asked": 5, "gr_cross_boundary": 1, "gr_email_habit": 2, "gr_managers_take_part": 3, "su_evangelists": 8.0, "su_local_support_share": 9.0, "su_lead": "it", "su_sponsor": 2, "su_local_help": 3, "su_time_to_contribute": 4, "su_unexplained_rollout": 5, "su_recognition": 1, "to_slates": ["links", "tags", "signals"], "to_common_platform": 3, "to_access_share": 18.0, "to_easy_to_use": 5, "to_rigid_structure": 1, "to_reach": 2, "to_integration": 3, "cx_org_model": "dandelion", "cx_projects_aware": 5}', '{"overall": 41.525925925925925, "stage": {"level": 2, "name": "Experimenting", "min": 25.0, "description": "Readiness index at least 25 and below 45 of 100: some of the conditions for adoption are in place, others are missing."}, "dimensions": [{"id": "grassroots", "name": "Grassroots activity", "score": 30.0, "answered": 8, "items": 8, "weight": 1.0}, {"id": "support", "name": "Support", "score": 39.8, "answered": 8, "items": 8, "weight": 1.0}, {"id": "tooling", "name": "Tooling", "score": 54.77777777777778, "answered": 7, "items": 7, "weight": 1.0}], "weakest": "grassroots", "lever": "grassroots", "barrier": true, "org_model": "dandelion", "org_model_reason": "as answered", "recommendations": [{"id": "it-led", "title": "Hand the lead to the business", "advice": "IT leads the initiative. Find a business owner for it and keep IT as the enabler: over 70% of IT-led social initiatives fail, against about half of business-led ones succeeding.", "reason": "Who leads the initiative: IT", "priority": 1, "source": "Gartner, Predicts 2010"}, {"id": "barrier-grassroots", "title": "Grassroots activity is the barrier: grow communities around real work", "advice": "Grassroots activity scores below 50 and holds growth back most: raising it brings the material change earliest. Start with communities of practice around problems people already have, and make the first contributors visible: word of mouth (imitation) drives most of the growth.", "reason": "biggest lever: Grassroots activity (30/100: its rise brings the material change earliest); below the barrier threshold", "priority": 1, "source": "Prosci ADKAR (barrier point); Bass (1969) imitation effect"}, {"id": "explain-the-purpose", "title": "Explain what each tool is for", "advice": "Tools arrived without anyone explaining what they are for. For each tool, say which work it replaces (meeting minutes on the wiki, status updates on the microblog) and show an example.", "reason": "Tools arrived unexplained: Strongly agree", "priority": 2, "source": "McAfee, MIT Sloan Management Review 47(3), 2006"}, {"id": "add-search", "title": "Add search across teams", "advice": "The platform cannot search content across teams, so people cannot find what others have posted. Switch on enterprise search for the social tools.", "reason": "SLATES capabilities: links, tags, signals (no search)", "priority": 3, "source": "McAfee, SLATES, 2006"}, {"id": "stage-experimenting", "title": "Share success stories and settle on one platform", "advice": "Publish what the first teams achieved, settle on one common platform if there is none yet, and write light guidelines (what to post where), not rules.", "reason": "stage 2", "priority": 3, "source": "IDC and Dachis Group maturity ladders; McAfee 2006"}]}', 41.525925925925925, 2, 'Experimenting', '2026-11-30 06:33:32.025315', 's3-a1', '2026-11-30 06:33:32.089838', 3);


--
-- Data for Name: drafts; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.drafts VALUES ('s3-draft', '{"organization": "Draft Org", "division": "R&D", "sector": "public", "size": "1-249"}', '{"gr_active_share": 2}', '2026-11-30 06:33:32.06176', NULL);
INSERT INTO public.drafts VALUES ('s3-draft-empty', NULL, '{}', '2026-11-30 06:33:32.065043', NULL);
INSERT INTO public.drafts VALUES ('s3-draft-edits', NULL, '{"gr_active_share": 7.0, "gr_projects": 8.0, "gr_self_start": 5, "gr_find_answers": 1, "gr_only_when_asked": 2, "gr_cross_boundary": 3, "gr_email_habit": 4, "gr_managers_take_part": 5, "su_evangelists": 15.0, "su_local_support_share": 16.0, "su_lead": "joint", "su_sponsor": 4, "su_local_help": 5, "su_time_to_contribute": 1, "su_unexplained_rollout": 2, "su_recognition": 3, "to_slates": ["search", "authoring", "extensions"], "to_common_platform": 5, "to_access_share": 25.0, "to_easy_to_use": 2, "to_rigid_structure": 3, "to_reach": 4, "to_integration": 5, "cx_org_model": "organic", "cx_projects_aware": 2}', '2026-11-30 06:33:32.096381', 2);


--
-- Data for Name: schema_version; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.schema_version VALUES (1, 'first schema: assessments and drafts', '2026-11-30 06:33:31.96957');
INSERT INTO public.schema_version VALUES (2, 'assessments.submission_id (unique) and assessments.updated_at', '2026-11-30 06:33:31.973926');
INSERT INTO public.schema_version VALUES (3, 'assessment versions, consumed submissions, drafts editing an assessment', '2026-11-30 06:33:31.990704');


--
-- Data for Name: submissions; Type: TABLE DATA; Schema: public; Owner: -
--

INSERT INTO public.submissions VALUES ('s3-a1', 1, 1, '2026-11-30 06:33:32.025315');
INSERT INTO public.submissions VALUES ('s3-a2', 2, 1, '2026-11-30 06:33:32.035719');
INSERT INTO public.submissions VALUES ('s3-a3', 3, 1, '2026-11-30 06:33:32.042997');
INSERT INTO public.submissions VALUES ('s3-a1-edit', 1, 2, '2026-11-30 06:33:32.07502');
INSERT INTO public.submissions VALUES ('s3-a1-restore', 1, 3, '2026-11-30 06:33:32.089838');


--
-- Name: assessments_id_seq; Type: SEQUENCE SET; Schema: public; Owner: -
--

SELECT pg_catalog.setval('public.assessments_id_seq', 4, true);


--
-- Name: assessment_versions assessment_versions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessment_versions
    ADD CONSTRAINT assessment_versions_pkey PRIMARY KEY (assessment_id, version);


--
-- Name: assessments assessments_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.assessments
    ADD CONSTRAINT assessments_pkey PRIMARY KEY (id);


--
-- Name: drafts drafts_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.drafts
    ADD CONSTRAINT drafts_pkey PRIMARY KEY (id);


--
-- Name: schema_version schema_version_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.schema_version
    ADD CONSTRAINT schema_version_pkey PRIMARY KEY (version);


--
-- Name: submissions submissions_pkey; Type: CONSTRAINT; Schema: public; Owner: -
--

ALTER TABLE ONLY public.submissions
    ADD CONSTRAINT submissions_pkey PRIMARY KEY (id);


--
-- Name: ix_assessments_organization; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_assessments_organization ON public.assessments USING btree (organization);


--
-- Name: ix_assessments_submission_id; Type: INDEX; Schema: public; Owner: -
--

CREATE UNIQUE INDEX ix_assessments_submission_id ON public.assessments USING btree (submission_id);


--
-- Name: ix_submissions_assessment_id; Type: INDEX; Schema: public; Owner: -
--

CREATE INDEX ix_submissions_assessment_id ON public.submissions USING btree (assessment_id);


--
-- PostgreSQL database dump complete
--

\unrestrict jUBycFFbPA9t5nDDlnoLEwZE3Y8oJtmgfSZhgIA90RZeQs403JmvP1b1PZtH56l

