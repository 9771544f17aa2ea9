"""A labelled population of Indian persons in criminal roles, written the many ways India's
records write one person: the ground truth that ``bench/persons.py`` measures linking against
(issue 13, "Measured, on data no one typed by hand").

:func:`generate` makes ``persons`` true persons and their records as
:class:`~canonical_model.person_mentions.PersonMention` values, each labelled with the person
it belongs to (:class:`LabelledMention`). The same seed gives the same population, on any
machine: only the standard library's :class:`random.Random` draws, and nothing depends on
the order of a set or on string hashing.

**Who.** Each person belongs to one naming tradition (:data:`GROUPS`, with its share of the
population and the States it lives in): North Indian Hindu (given name, an optional "Kumar",
a caste or family surname; women often "Devi"), Muslim ("Mohammad Irfan", "Abdul Rashid
Khan"; women "Khatoon", "Bano", "Begum"), Marathi and Gujarati (the father's given name as
the middle name; "-bhai" and "-ben"), Bengali, Sikh (compound given names, "Singh" or
"Kaur", sometimes a clan), Tamil (the father's initial before the given name, "K. Ramesh"),
Telugu (the house name first, "Kothapalli Ramesh Reddy"), Kannada, Malayali, Christian
(Kerala: the father's given name after one's own; Goa and Mangalore: Portuguese surnames),
and tribal (Munda, Oraon, Soren ...; Bhil, Damor ...). Given names and surnames are drawn
with a Zipf-like skew, and North Indian fathers often have compound names (Ram + Narayan),
so that common names are common: many different persons are "Ramesh Kumar", "Mohammad
Irfan" or "Sunita Devi", with different fathers, ages and places. That is what tests a
linker's precision. Of 100,000 persons (seed 0), 93% share their full name with another
person, 20% their full name and their father's, 0.9% those and their birth year too: only
the place, a date of birth or a licence tells the last apart.

**How many records.** 1 to 5 case records a person (62% one, 21% two, 11% three, 5% four,
1% five: most accused appear once, repeat offenders several times), each in a different case;
4% of persons also hold a driving licence the transport pillar reported (``licence:<DL>``,
identifier ``dl:<DL>``), carried by 40% of their case records too; 1% are known only by a
licence. Cases have 1 to 4 accused (co-accused of one station and month); their FIR numbers
are canonical (``MH/AU/CIDCO/2024/0123``) and their records ``case:C-<n>:A<k>`` in the roles
accused (45%), arrested (25%), charged (18%) and inmate (12%, with a prisoner number and, as
the prisons' admissions do, no alias, date of birth or district).

**How one person varies between records** (rates per record unless said otherwise; a name
word is a word of the name or the father's name):

* transliteration: each person has an own spelling of each word (a less usual one for 12%
  of a person's words), and 12% of Latin name words in a record use another known spelling
  (Ramesh/Ramesha, Shrikant/Srikant/Shreekant, Laxmi/Lakshmi, Mohammad/Mohd./Md./Mohammed,
  Yadav/Yadaw, Chaudhary/Choudhary/Chaudhari, Singh/Sinh); 3% of Latin records have one
  typing slip in one word (Rmesh);
* script: 25% of records from the Hindi- and Marathi-writing States are in Devanagari (the
  name, father's name and alias);
* form: given name as an initial ("R. Jadhav") 6%, surname first ("Jadhav Ramesh") 7%,
  surname left out 3%, the middle name (Kumar, the father's name) kept or dropped, the forms
  of Tamil, Telugu and Kerala names (initials before or after, the father's or house name
  written out); honorifics ("Shri", "Smt.", "Mr.", "श्री") 6%; upper case 18%, lower case 2%;
  compound names joined or spaced ("Ramnarayan", "Ram Narayan"); an alias ("Ramesh @ Pappu")
  for 7% of men, given in half their records;
* father's name: missing in 15% of records; given name only or with an initial in a quarter
  of the rest; "Late" now and then; three women in four are married, and from 23 on 35% of
  their records name the husband instead;
* age: stated in years, off by one year in 28% of records, two in 11%, three or five in 6%,
  rounded to a multiple of five in 12% of ages from 25 (age heaping); a date of birth in 15%
  of case records other than admissions, mostly the person's documented one (1 January for
  a fifth of persons, another day for 8%), now and then the true one or day and month
  swapped; 12% of the records without one state no age either;
* place: 14% of persons move to another district of their State and 8% to another State
  (mostly from the Hindi belt, Bengal and Odisha to the cities); 15% of crimes are
  registered outside the person's home district; district names change ("Aurangabad",
  "Chhatrapati Sambhajinagar"); 10% of records give no address (the State is the FIR's);
* missing fields: gender unknown 4%, and the rest above.

**Sources.** Every name in the tables below is a common Indian given name, surname,
nickname or name part, compiled by hand for this benchmark from general knowledge of Indian
naming; none is taken from a real record, and no real person is described. The Devanagari
spellings were written by hand and checked by eye; districts and their renamings are the
public names of real districts; police station codes are made up.
"""

from __future__ import annotations

import datetime as dt
import random
from bisect import bisect_right
from collections import Counter
from collections.abc import Sequence
from dataclasses import dataclass, field
from functools import cache
from itertools import accumulate
from typing import Generic, TypeVar

from canonical_model.person_mentions import (
    PersonFact,
    PersonMention,
    Role,
    licence_identifier,
    prisoner_identifier,
)

__all__ = ["GROUPS", "LabelledMention", "check_tables", "generate", "lexicon"]

T = TypeVar("T")

# -- the name tables ----------------------------------------------------------------------------
#
# Common names compiled by hand (general knowledge of Indian naming), no real persons.
# One word a line: the usual Latin spelling (the key), its Devanagari spellings (the usual first,
# "/" between), and other Latin spellings records use. Keys are also the name parts of
# compounds (Ram + Narayan = Ramnarayan, रामनारायण; Gur + Preet = Gurpreet, गुरप्रीत).

_LEXICON = """
Ramesh | रमेश | Ramesha
Suresh | सुरेश | Suresha
Rajesh | राजेश | Rajes
Sanjay | संजय | Sanjai, Sanjoy, Sanjaya
Manoj | मनोज | Manoja
Sunil | सुनील/सुनिल | Suneel
Anil | अनिल | Aneel
Rakesh | राकेश | Rakes
Mukesh | मुकेश | Mukes
Dinesh | दिनेश | Dinesha
Vijay | विजय | Vijai, Bijay, Vijaya
Ajay | अजय | Ajai
Santosh | संतोष/सन्तोष | Santhosh, Santos
Pankaj | पंकज | Pankej
Ashok | अशोक | Asok, Ashoke
Amit | अमित | Ameet
Rahul | राहुल | Rahool
Deepak | दीपक | Dipak
Pradeep | प्रदीप | Pradip, Pardeep
Sandeep | संदीप | Sandip
Vikas | विकास | Bikash, Vikash
Ravi | रवि | Rabi
Raju | राजू | Rajoo
Rajendra | राजेंद्र/राजेन्द्र | Rajender, Rajinder, Rajendar
Surendra | सुरेंद्र/सुरेन्द्र | Surender, Surinder
Virendra | वीरेंद्र/वीरेन्द्र | Virender, Birendra, Veerendra
Dharmendra | धर्मेंद्र/धर्मेन्द्र | Dharmender
Jitendra | जितेंद्र/जितेन्द्र | Jitender, Jeetendra
Narendra | नरेंद्र/नरेन्द्र | Narender
Mahendra | महेंद्र/महेन्द्र | Mahender, Mahinder
Mahesh | महेश | Mahes
Naresh | नरेश | Nares
Umesh | उमेश | Umes
Vinod | विनोद | Binod
Pramod | प्रमोद | Parmod
Arun | अरुण | Aroon
Mohan | मोहन | Mohun
Gopal | गोपाल | Gopaal
Krishna | कृष्ण/कृष्णा | Krishan, Kishan, Krisna
Shyam | श्याम | Syam, Shyaam
Ram | राम | Rama
Shiv | शिव | Siv, Shiva
Subhash | सुभाष | Subash, Subhas
Kamlesh | कमलेश | Kamalesh
Yogesh | योगेश | Yogesha
Satish | सतीश | Sateesh
Rohit | रोहित | Rohith
Manish | मनीष | Maneesh
Ankit | अंकित | Ankeet
Sachin | सचिन | Sachen
Nitin | नितिन | Niteen, Nithin
Vishal | विशाल | Visal
Laxman | लक्ष्मण | Lakshman, Laxmana, Lachhman
Shrikant | श्रीकांत | Srikant, Shreekant, Srikanth, Shrikanth
Dilip | दिलीप | Dileep
Prakash | प्रकाश | Parkash, Prakasha
Om | ओम | Aum
Hari | हरि | Hary
Sohan | सोहन | Sohun
Bhagwan | भगवान | Bhagvan
Jagdish | जगदीश | Jagadish, Jagdeesh
Shankar | शंकर | Sankar, Shanker
Baldev | बलदेव | Baldeo
Prem | प्रेम | Prem
Ganesh | गणेश | Ganesha, Ganes
Girish | गिरीश | Gireesh
Harish | हरीश | Hareesh
Anand | आनंद/आनन्द | Anandh
Prashant | प्रशांत | Prasant, Prasanta, Prashanth, Prasanth
Bharat | भरत | Bharath
Sunita | सुनीता | Suneeta, Sunitha
Anita | अनीता/अनिता | Aneeta, Anitha
Kavita | कविता | Kavitha
Savita | सविता | Sabita, Savitha
Geeta | गीता | Gita, Geetha
Seema | सीमा | Sima
Rekha | रेखा | Rekhaa
Pooja | पूजा | Puja
Priya | प्रिया | Priyaa
Laxmi | लक्ष्मी | Lakshmi, Laxmee, Lakshmee, Laxami
Suman | सुमन | Sumon
Usha | उषा | Ushaa
Asha | आशा | Aasha
Meena | मीना | Mina
Reena | रीना | Rina
Kiran | किरण | Kiron
Sarita | सरिता | Saritha
Mamta | ममता | Mamata
Neha | नेहा | Nehaa
Poonam | पूनम | Punam
Radha | राधा | Radhaa
Sita | सीता | Seeta
Kamla | कमला | Kamala
Shanti | शांति/शान्ति | Shanthi, Santi
Pushpa | पुष्पा | Puspa
Urmila | उर्मिला | Urmilla
Manju | मंजू | Manjoo
Rani | रानी | Ranee
Parvati | पार्वती | Parvathi, Parbati
Saroj | सरोज | Saroja
Kumar | कुमार | Kumaar
Singh | सिंह/सिंग | Sinh, Sing
Yadav | यादव | Yadaw, Yadava
Sharma | शर्मा | Sarma
Verma | वर्मा | Varma
Gupta | गुप्ता | Gupt
Mishra | मिश्रा/मिश्र | Misra
Tiwari | तिवारी | Tiwary, Tewari
Pandey | पांडेय/पाण्डेय/पांडे | Pande, Pandy
Chaudhary | चौधरी | Choudhary, Chaudhari, Chaudhry, Choudhury
Prasad | प्रसाद | Parsad, Prashad
Chauhan | चौहान | Chouhan
Jha | झा | Jhaa
Pal | पाल | Paul
Maurya | मौर्य | Mourya
Kushwaha | कुशवाहा | Kushwah, Kushvaha
Paswan | पासवान | Paswaan
Rajput | राजपूत | Rajpoot
Gurjar | गुर्जर | Gujjar, Gujar
Sahu | साहू | Sahoo
Saini | सैनी | Sainy
Thakur | ठाकुर | Thakoor
Tripathi | त्रिपाठी | Tripathy
Dubey | दुबे | Dube, Dubay
Srivastava | श्रीवास्तव | Shrivastava, Srivastav, Shrivastav
Rawat | रावत | Ravat
Lodhi | लोधी | Lodi
Nishad | निषाद | Nishaad
Kashyap | कश्यप | Kasyap
Prajapati | प्रजापति | Prajapathi
Mahto | महतो | Mahato
Jatav | जाटव | Jatab
Meghwal | मेघवाल | Meghval
Patel | पटेल | Patell
Devi | देवी | Devee
Kumari | कुमारी | Kumaree
Lal | लाल | Laal
Nath | नाथ | Nath
Das | दास | Dass
Dev | देव | Deo
Jai | जय | Jay, Jaya
Raj | राज | Raaj
Satya | सत्य | Sathya
Gyan | ज्ञान | Gian, Gyaan
Ved | वेद | Bed
Brij | बृज/ब्रज | Braj
Surya | सूर्य | Suriya
Chandra | चंद्र/चन्द्र | Chander, Chandar
Kamal | कमल | Kamaal
Nand | नंद/नन्द | Nandh
Ishwar | ईश्वर | Iswar, Eshwar
Bhanu | भानु | Bhanoo
Jag | जग | Jagg
Narayan | नारायण | Narain, Narayana, Naryan
Kishore | किशोर | Kishor
Chand | चंद/चन्द | Chandh
Dutt | दत्त | Dutta, Datt
Veer | वीर | Vir, Bir
Bhushan | भूषण | Bhooshan, Bhusan
Pratap | प्रताप | Partap
Sharan | शरण | Saran
Avtar | अवतार | Autar, Avatar
Sewak | सेवक | Sevak
Swaroop | स्वरूप | Swarup, Sarup
Bahadur | बहादुर | Bahadoor
Gur | गुर | Guru
Har | हर | Harr
Jas | जस | Jass
Man | मन | Mun
Sukh | सुख | Sukhh
Bal | बल | Ball
Kul | कुल | Kool
Param | परम | Parm
Aman | अमन | Amman
Lakh | लख | Lakhh
Ran | रण | Run
Nav | नव | Nau
Gagan | गगन | Gagun
Preet | प्रीत | Prit
Winder | विंदर | Vinder
Jit | जीत | Jeet
Deep | दीप | Dip
Meet | मीत | Mit
Bir | बीर | Beer
Jinder | जिंदर | Jindar
Satnam | सतनाम | Satnaam
Karnail | करनैल | Karnel
Harbhajan | हरभजन | Harbhajun
Mohinder | मोहिंदर | Mohender
Kaur | कौर | Kour
Kashmir | कश्मीर | Kashmeer
Darshan | दर्शन | Darshun
Gurnam | गुरनाम | Gurnaam
Bhupinder | भूपिंदर | Bhupindar
Joginder | जोगिंदर | Jogindar
Surjit | सुरजीत | Surjeet
Tarsem | तरसेम | Tarsam
Balkar | बलकार | Balkaar
Sandhu | संधू | Sandu
Gill | गिल | Gil
Sidhu | सिद्धू | Sidhoo
Dhillon | ढिल्लों | Dhilon
Brar | बराड़ | Barar
Grewal | ग्रेवाल | Garewal
Randhawa | रंधावा | Randhava
Bajwa | बाजवा | Bajva
Virk | विर्क | Wirk
Mann | मान | Maan
Mohammad | मोहम्मद/मो./मुहम्मद | Mohammed, Mohd., Md., Muhammad, Mohamad, Mohd, Md, Mohmad
Irfan | इरफान/इरफ़ान | Irfaan
Salim | सलीम | Saleem
Rashid | राशिद/रशीद | Rasheed, Rashied
Javed | जावेद | Jawed, Javaid
Imran | इमरान | Imraan
Asif | आसिफ/आसिफ़ | Aasif
Shahid | शाहिद | Sahid, Shahed
Wasim | वसीम | Waseem, Vasim
Nadeem | नदीम | Nadim
Aslam | असलम | Aslaam
Akram | अकरम | Akrum
Rafiq | रफीक/रफ़ीक़ | Rafique, Rafik, Rafeeq
Shakeel | शकील | Shakil
Arif | आरिफ/आरिफ़ | Aarif
Sajid | साजिद | Sajjid
Anwar | अनवर | Anvar
Yusuf | यूसुफ/यूसुफ़ | Yousuf, Usuf, Yousaf
Iqbal | इकबाल/इक़बाल | Ikbal, Iqbaal
Aziz | अजीज/अज़ीज़ | Azeez, Ajij
Ahmad | अहमद | Ahmed
Jameel | जमील | Jamil
Sharif | शरीफ/शरीफ़ | Shareef
Zakir | जाकिर/ज़ाकिर | Jakir, Zakeer
Nasir | नासिर | Nassir
Kalim | कलीम | Kaleem
Raees | रईस | Rais, Raies
Mustafa | मुस्तफा/मुस्तफ़ा | Mustapha, Mustufa
Ismail | इस्माइल | Esmail, Ismile
Ibrahim | इब्राहिम | Ebrahim, Ibraheem
Yakub | याकूब/याक़ूब | Yakoob, Yaqub
Usman | उस्मान | Osman
Farooq | फारूक/फ़ारूक़ | Farook, Faruq, Farukh
Abdul | अब्दुल | Abdool, Abdal
Rahman | रहमान | Rehman, Rahaman
Hussain | हुसैन | Husain, Hussein, Hossain
Ali | अली | Aly
Karim | करीम | Kareem
Majid | मजीद | Majeed
Hamid | हामिद | Hameed
Latif | लतीफ/लतीफ़ | Lateef
Qadir | कादिर/क़ादिर | Kadir, Qader
Sattar | सत्तार | Satar
Jabbar | जब्बार | Jabar
Wahid | वहीद | Waheed
Salam | सलाम | Salaam
Shabana | शबाना | Sabana
Nasreen | नसरीन | Nasrin
Farzana | फरजाना/फ़रज़ाना | Farjana
Rukhsana | रुखसाना/रुख़साना | Ruksana, Rukhshana
Fatima | फातिमा/फ़ातिमा | Fatma, Fathima
Ayesha | आयशा | Aisha, Ayasha, Aysha
Reshma | रेशमा | Resma
Salma | सलमा | Salmaa
Shahnaz | शहनाज/शहनाज़ | Shanaz, Shehnaz
Parveen | परवीन | Parvin, Perveen
Zareena | जरीना/ज़रीना | Zarina, Jarina
Noor | नूर | Nur
Sabina | सबीना | Sabeena
Nazia | नाजिया/नाज़िया | Najia
Shaheen | शाहीन | Shahin
Khatoon | खातून/ख़ातून | Khatun
Bano | बानो | Banu
Begum | बेगम | Begam
Bibi | बीबी | Beebi
Khan | खान/ख़ान | Khaan
Shaikh | शेख/शेख़ | Sheikh, Shaik, Shekh
Ansari | अंसारी/अन्सारी | Ansary
Qureshi | कुरैशी/क़ुरैशी | Kureshi, Quraishi, Qureishi
Siddiqui | सिद्दीकी/सिद्दीक़ी | Siddiqi, Sidiqui, Siddiki
Pathan | पठान | Pathaan
Syed | सैयद | Sayyed, Saiyad, Sayed
Mansuri | मंसूरी | Mansoori
Malik | मलिक | Malick
Mirza | मिर्जा/मिर्ज़ा | Mirja
Saifi | सैफी/सैफ़ी | Saifee
Dnyaneshwar | ज्ञानेश्वर | Dnyaneswar, Gyaneshwar
Balasaheb | बाळासाहेब/बालासाहेब | Balasahib, Bala Saheb
Dattatray | दत्तात्रय | Dattatraya, Dattatrey
Vitthal | विठ्ठल | Vithal, Vittal
Sagar | सागर | Saagar
Amol | अमोल | Amool
Tushar | तुषार | Tusar
Pandurang | पांडुरंग/पाण्डुरंग | Pandoorang
Vilas | विलास | Wilas
Shivaji | शिवाजी | Sivaji
Sambhaji | संभाजी | Sambaji
Bhausaheb | भाऊसाहेब | Bhausahib, Bhau Saheb
Maruti | मारुती | Maruthi, Maroti
Kisan | किसन | Kishan
Baban | बबन | Baban
Raghunath | रघुनाथ | Ragunath
Namdev | नामदेव | Namdeo
Tukaram | तुकाराम | Tukaraam
Manisha | मनीषा | Maneesha
Sangita | संगीता | Sangeeta, Sangeetha
Vaishali | वैशाली | Vaishaly
Jyoti | ज्योती/ज्योति | Jyothi
Lata | लता | Latha
Swati | स्वाती/स्वाति | Swathi
Sarika | सारिका | Sarrika
Ujwala | उज्ज्वला | Ujjwala, Ujvala
Sushila | सुशीला | Susheela, Sushilla
Mangal | मंगल | Mangala
Shobha | शोभा | Sobha
Jadhav | जाधव | Jadhao, Jadav
Patil | पाटील | Patill
Pawar | पवार | Powar, Pavar
Shinde | शिंदे | Sinde
More | मोरे | Morey
Kale | काळे | Kaale
Gaikwad | गायकवाड | Gaekwad, Gaikwar
Deshmukh | देशमुख | Desmukh
Kulkarni | कुलकर्णी | Kulkarny
Joshi | जोशी | Josi
Chavan | चव्हाण | Chawan
Bhosale | भोसले | Bhonsle, Bhosle
Kamble | कांबळे | Kambale
Salunkhe | साळुंखे | Salunke
Thorat | थोरात | Thorath
Wagh | वाघ | Waagh
Mane | माने | Maane
Kadam | कदम | Kadum
Sawant | सावंत | Savant
Kharat | खरात | Kharath
Gawali | गवळी | Gawli, Gavali
Sonawane | सोनवणे | Sonavane
Lokhande | लोखंडे | Lokande
Waghmare | वाघमारे | Vaghmare
Ingale | इंगळे | Ingle
Jayesh | जयेश | Jayes
Hitesh | हितेश | Hites
Kalpesh | कल्पेश | Kalpes
Nilesh | नीलेश/निलेश | Neelesh
Jignesh | जिग्नेश | Jignes
Ketan | केतन | Kethan
Alpesh | अल्पेश | Alpes
Paresh | परेश | Pares
Bhavesh | भावेश | Bhaves
Pravin | प्रवीण | Praveen
Ashwin | अश्विन | Aswin, Ashvin
Natvarlal | नटवरलाल | Natwarlal, Natvar Lal
Kanti | कांति/कान्ति | Kanthi
Bhai | भाई | Bhaai
Ben | बेन | Behn
Hansa | हंसा | Hansaa
Bhavna | भावना | Bhavana
Kokila | कोकिला | Kokilla
Nisha | निशा | Nisa
Daksha | दक्षा | Dakshaa
Varsha | वर्षा | Barsha
Shah | शाह | Sha
Parmar | परमार | Parmaar
Solanki | सोलंकी | Solanky
Makwana | मकवाना | Makvana
Vaghela | वाघेला | Waghela
Rathod | राठोड/राठौड़ | Rathore, Rathour, Rathaur
Jadeja | जडेजा | Jadeija
Desai | देसाई | Dessai
Thakor | ठाकोर | Thakore
Bharwad | भरवाड | Bharvad
Rabari | रबारी | Rabary
Sujit | सुजीत | Sujeet, Sujith
Biswajit | बिस्वजीत/विश्वजीत | Biswajeet, Bishwajit, Vishwajeet
Subrata | सुब्रत | Subroto, Subrato
Tapas | तपस | Tapash
Prasenjit | प्रसेनजीत | Prosenjit, Prasenjeet
Debashis | देबाशीष/देवाशीष | Debasish, Debashish, Debasis
Partha | पार्थ | Parth
Swapan | स्वपन | Sapan
Tarun | तरुण | Torun
Uttam | उत्तम | Utam
Bapi | बापी | Baapi
Sukumar | सुकुमार | Sukumaar
Kartik | कार्तिक | Kartick, Karthik, Karthick
Mitali | मिताली | Mithali
Sumitra | सुमित्रा | Sumithra
Mousumi | मौसमी | Moushumi, Mousami
Anjali | अंजलि/अंजली | Anjoli, Anjaly
Shampa | शम्पा | Sampa
Rupa | रूपा | Roopa
Tumpa | टुम्पा | Tumpaa
Mondal | मंडल/मण्डल | Mandal, Mondol
Sarkar | सरकार | Sircar
Ghosh | घोष | Ghose
Roy | रॉय/राय | Ray, Rai
Biswas | बिस्वास/विश्वास | Biswash
Dey | डे | De
Saha | साहा | Shaha
Bag | बाग | Baag
Halder | हालदार/हलदर | Haldar
Chatterjee | चटर्जी | Chatterji, Chattopadhyay
Banerjee | बनर्जी | Banerji, Bandyopadhyay
Mukherjee | मुखर्जी | Mukherji, Mukhopadhyay
Dutta | दत्ता | Datta
Bose | बोस | Basu
Pramanik | प्रमाणिक | Pramanick
Murugan | मुरुगन | Murugun
Selvam | सेल्वम | Selvem
Senthil | सेंथिल | Senthill, Sentil
Raja | राजा | Rajah
Saravanan | सरवणन | Sarvanan
Velu | वेलु | Velou
Arumugam | अरुमुगम | Arumugham
Ganesan | गणेशन | Ganeshan
Muthu | मुत्तु | Mutthu
Manikandan | मणिकंडन | Manikanda
Venkatesh | वेंकटेश | Venkatesha
Srinivasan | श्रीनिवासन | Sreenivasan, Shrinivasan
Narayanan | नारायणन | Narainan
Krishnan | कृष्णन | Kishnan
Subramani | सुब्रमणि | Subramaniam, Subramanian, Subramanyam
Balaji | बालाजी | Balajee
Ramu | रामू/रामु | Ramoo
Selvaraj | सेल्वराज | Selvaraju
Rajendran | राजेंद्रन | Rajendren
Palani | पलनी | Pazhani
Kannan | कन्नन | Kanan
Mani | मणि | Manni
Selvi | सेल्वी | Selvee
Revathi | रेवती | Revathy, Revati
Saranya | शरण्या | Sharanya
Jayanthi | जयंती | Jayanti
Malathi | मालती | Malati
Vasanthi | वसंती | Vasanti
Padma | पद्मा | Padmaa
Sumathi | सुमति | Sumati
Kothapalli | कोठापल्ली | Kotapalli, Kothapally
Gundala | गुंडाला | Gundla
Boddu | बोड्डु | Bodu
Chinthala | चिंताला | Chintala
Bandi | बंडी | Bandy
Pulla | पुल्ला | Pula
Gaddam | गड्डम | Gadam
Kasula | कासुला | Kaasula
Dasari | दासरी | Dasary
Thota | तोटा | Tota
Mekala | मेकला | Mekhala
Pothula | पोतुला | Potula
Reddy | रेड्डी | Reddi
Naidu | नायडू | Naidoo
Rao | राव | Row
Goud | गौड | Gowd, Goude
Srinivas | श्रीनिवास | Sreenivas, Shrinivas, Srinivasa
Nagaraju | नागराजू | Nagraju
Venkanna | वेंकन्ना | Venkana
Anjaneyulu | आंजनेयुलु | Anjaneyalu, Anjineyulu
Satyanarayana | सत्यनारायण | Satyanarayan, Sathyanarayana
Koteswara | कोटेश्वर | Koteshwara, Koteswar
Sai | साई | Saai
Rambabu | रामबाबू | Ram Babu
Sujatha | सुजाता | Sujata
Vijaya | विजया | Vijayaa
Durga | दुर्गा | Durgaa
Manjunath | मंजुनाथ | Manjunatha
Nagaraj | नागराज | Nagaraja
Basavaraj | बसवराज | Basavaraja, Baswaraj
Shivakumar | शिवकुमार | Shivkumar, Sivakumar
Mallikarjun | मल्लिकार्जुन | Mallikarjuna
Raghavendra | राघवेंद्र | Ragavendra, Raghvendra
Lokesh | लोकेश | Lokesha
Chandrashekar | चंद्रशेखर | Chandrasekhar, Chandrashekhar
Siddaraju | सिद्धराजू | Siddharaju
Hanumanthappa | हनुमंतप्पा | Hanumantappa
Ningappa | निंगप्पा | Ningapa
Manjula | मंजुला | Manjulla
Nagamma | नागम्मा | Nagama
Bhagya | भाग्या | Bagya
Renuka | रेणुका | Renukha
Gowda | गौड़ा/गौडा | Gouda, Gauda
Shetty | शेट्टी | Shetti, Setty
Naik | नायक | Nayak, Naick
Hegde | हेगड़े/हेगडे | Hegade
Poojary | पुजारी | Poojari, Pujari
Rajan | राजन | Rajen
Biju | बीजू | Bijoo
Shaji | शाजी | Shajee
Sreejith | श्रीजीत | Srijith, Sreejit
Sajeev | सजीव | Sajiv
Sudheer | सुधीर | Sudhir
Unnikrishnan | उन्नीकृष्णन | Unni Krishnan
Bindu | बिंदु/बिन्दु | Bindhu
Sindhu | सिंधु/सिन्धु | Sindu
Remya | रम्या | Ramya
Divya | दिव्या | Divia
Sreeja | श्रीजा | Sreja
Nair | नायर | Nayar
Menon | मेनन | Menan
Pillai | पिल्लै | Pillay
Kurup | कुरुप | Kuruppu
Nambiar | नांबियार | Nambiyar
Panicker | पणिक्कर | Panikkar
Joseph | जोसेफ | Josef
Thomas | थॉमस/थोमस | Tomas, Thoms
George | जॉर्ज/जार्ज | Gorge, Georg
Mathew | मैथ्यू | Mathews, Matthew, Mathai
John | जॉन/जोन | Jon
Jacob | जैकब/जेकब | Jakob, Yakob
Abraham | अब्राहम | Abraam
Varghese | वर्गीज | Verghese, Varghis, Vargheese
Kurian | कुरियन | Kurien
Philip | फिलिप | Philips, Pilip
Antony | एंटनी/एन्टनी | Anthony, Antoney
Francis | फ्रांसिस | Fransis
Sebastian | सेबेस्टियन | Sebastin
Paul | पॉल | Pol
Peter | पीटर | Petar
Xavier | जेवियर/ज़ेवियर | Xavior, Zavier
Babu | बाबू | Baboo
Saji | साजी | Sajee
Mary | मैरी | Mery
Elizabeth | एलिजाबेथ/एलिज़ाबेथ | Elizebeth, Elisabeth
Annamma | अन्नम्मा | Annama
Susan | सूसन/सुसन | Suzan
Sheela | शीला | Sheila, Shila
Mercy | मर्सी | Mercey
Jessy | जेसी | Jessie
Lissy | लिसी | Lissie
Molly | मॉली/मोली | Moly
Sini | सिनी | Sinni
Fernandes | फर्नांडिस/फर्नांडीस | Fernandez, Fernandis
D'Souza | डिसूजा/डिसूज़ा | Dsouza, De Souza, D Souza, Desouza
Pereira | परेरा | Periera, Pereyra
Rodrigues | रॉड्रिग्स/रोड्रिग्स | Rodriguez, Rodrigs
Gomes | गोम्स | Gomez
Dias | डियास | Diaz
Lobo | लोबो | Loboh
Pinto | पिंटो/पिन्टो | Pintoh
Colaco | कोलासो | Colaso
D'Costa | डिकोस्टा | Dcosta, D Costa, Da Costa
Budhu | बुधु/बुधू | Budhoo
Somra | सोमरा | Somara
Budhwa | बुधवा | Budhua
Sukra | सुकरा | Shukra, Sukara
Etwa | एतवा | Itwa, Etwaa
Birsa | बिरसा | Birsha
Soma | सोमा | Somaa
Jitu | जीतू | Jeetu
Sukhram | सुखराम | Sukhraam
Bhola | भोला | Bholaa
Karma | करमा | Karama
Lalu | लालू | Laloo
Somari | सोमारी | Somaree
Budhni | बुधनी | Budhani
Sukhmani | सुखमनी | Sukmani
Phulmani | फूलमनी | Fulmani, Phoolmani
Basanti | बसंती | Basonti
Mangri | मंगरी | Mangari
Munda | मुंडा | Moonda
Oraon | उरांव | Oraw, Uraon
Soren | सोरेन | Soreng
Murmu | मुर्मू | Murmoo
Hansda | हांसदा | Hansdah, Hansdak
Tudu | टुडू | Tudoo
Kisku | किस्कू | Kiskoo
Hembrom | हेंब्रम | Hembram
Marandi | मरांडी | Marandy
Tirkey | तिर्की | Tirki, Tirkay
Ekka | एक्का | Eka
Kujur | कुजूर | Kujoor
Minz | मिंज | Minj
Lakra | लकड़ा | Lakda
Toppo | टोप्पो | Topo
Kalu | कालू | Kaloo
Mangilal | मांगीलाल | Mangi Lal, Mangilaal
Nathu | नाथू | Nathoo
Dhanna | धन्ना | Dhana
Dhapu | धापू | Dhapoo
Sukhi | सुखी | Sukhee
Bhil | भील | Bheel
Gond | गोंड | Gound
Damor | डामोर | Damore
Vasava | वसावा | Vasave
Bhuria | भूरिया | Bhuriya
Katara | कटारा | Kataara
Garasiya | गरासिया | Garasia
Siva | शिव | Shiva
Selva | सेल्व | Selwa
Bala | बाल | Baala
Arul | अरुल | Arull
Anbu | अन्बु | Anbhu
Sundar | सुंदर/सुन्दर | Sundara
Thiru | तिरु | Tiru
Vel | वेल | Vell
Chinna | चिन्ना | China
Karuppa | करुप्पा | Karupa
Sekar | शेखर | Sekhar, Shekar, Shekhar
Pandian | पांडियन | Pandiyan
Durai | दुरै | Dorai
Samy | सामी | Swamy, Sami
Lingam | लिंगम | Linga
Nathan | नाथन | Nadhan
Selvan | सेल्वन | Selvam
Kumaresan | कुमारेसन | Kumaresh
Ayyappan | अय्यप्पन | Ayyapan
Pandi | पांडी | Pandy
Perumal | पेरुमाल | Perumaal
Kala | कला | Kalaa
Valli | वल्ली | Vally
Amutha | अमुथा | Amudha
Chitra | चित्रा | Chithra
Venkata | वेंकट | Venkat
Rama | राम | Ramaa
Naga | नाग | Nag
Ramana | रमण | Ramanna, Ramna
Murthy | मूर्ति | Murty, Moorthy
Vemula | वेमुला | Vemala
Gollapalli | गोल्लापल्ली | Gollapally
Pasupuleti | पसुपुलेटी | Pasupuleti
Nalla | नल्ला | Nala
Kandula | कंदुला | Kandhula
Mandala | मंडला | Mandla
Bolla | बोल्ला | Bola
Gorantla | गोरंटला | Gorantala
Basava | बसव | Basawa
Raghu | रघु | Ragu
Nanja | नंज | Nanje
Chikka | चिक्क | Chika
Appa | अप्पा | Apa
Kavya | काव्या | Kavia
Yashoda | यशोदा | Yasoda
Sasi | शशि | Shashi
Gopa | गोप | Gopha
Ajith | अजित | Ajit
Unni | उन्नी | Unny
Ratheesh | रतीश | Ratish
Jayan | जयन | Jayen
Shibu | शिबू | Sibu
Vishnu | विष्णु | Vishnoo
Sourav | सौरव | Saurav, Sourabh
Arindam | अरिंदम | Arindom
Abhijit | अभिजीत | Abhijeet
Sanjeev | संजीव | Sanjib, Sanjiv
Dipankar | दीपंकर | Dipankor
Gautam | गौतम | Goutam, Gowtam
Nirmal | निर्मल | Nirmol
Ranjit | रणजीत | Ranjeet
Nikhil | निखिल | Nikhill
Anup | अनूप | Anoop
Kalyan | कल्याण | Kalyaan
Mrinal | मृणाल | Mrinmoy
Rajiv | राजीव | Rajib, Rajeev
Sukanta | सुकांत | Sukant
Kanai | कनाई | Kanay
Majumdar | मजूमदार | Mazumdar, Majumder
Bhattacharya | भट्टाचार्य | Bhattacharjee, Bhattacharyya
Sen | सेन | Sain
Chakraborty | चक्रवर्ती | Chakravarty, Chakrabarti
Mitra | मित्रा | Mitter
Naskar | नस्कर | Naskor
Sardar | सरदार | Sarder
Barman | बर्मन | Burman
Adhikari | अधिकारी | Adhikary
Ravindra | रवींद्र/रविन्द्र | Rabindra, Ravinder
Sudhakar | सुधाकर | Sudhaker
Machhindra | मच्छिंद्र | Machindra
Bapu | बापू | Bapoo
Kashinath | काशीनाथ | Kasinath
Eknath | एकनाथ | Ekanath
Popat | पोपट | Popath
Dhondiba | धोंडिबा | Dhondeeba
Bhimrao | भीमराव | Bhimarao
Arjun | अर्जुन | Arjoon
Rajaram | राजाराम | Rajaraam
Sopan | सोपान | Sopaan
Tanaji | तानाजी | Tanajee
Somnath | सोमनाथ | Somanath
Ankush | अंकुश | Ankus
Rohini | रोहिणी | Rohinee
Suvarna | सुवर्णा | Suwarna
Anjana | अंजना | Anjna
Chhaya | छाया | Chaya
Kalpana | कल्पना | Kalpna
Archana | अर्चना | Archna
Vandana | वंदना | Wandana
Sharada | शारदा | Sharda
Bhise | भिसे | Bhisey
Jagtap | जगताप | Jagatap
Garud | गरुड | Garood
Nikam | निकम | Nikum
Borade | बोराडे | Borde
Shelke | शेळके | Shelake
Ghuge | घुगे | Ghughe
Gite | गिते | Gitte
Chirag | चिराग | Cheerag
Vipul | विपुल | Vipool
Mehul | मेहुल | Mehool
Hardik | हार्दिक | Hardick
Bhupendra | भूपेंद्र | Bhupender
Arvind | अरविंद/अरविन्द | Aravind, Arwind
Shailesh | शैलेश | Sailesh
Ghanshyam | घनश्याम | Ghanashyam
Hetal | हेतल | Hetaal
Nayna | नयना | Naina
Sonal | सोनल | Sonaal
Parul | पारुल | Paarul
Modi | मोदी | Mody
Trivedi | त्रिवेदी | Trivedy
Pandya | पंड्या | Pandiya
Bhatt | भट्ट | Bhat
Mehta | मेहता | Maheta
Rana | राणा | Raana
Koli | कोली | Kolee
Bhima | भीमा | Bheema
Kanha | कान्हा | Kana
Naran | नारण | Narun
Jaswant | जसवंत | Jasvant
Ninama | निनामा | Ninma
Mavi | मावी | Mawi
Bamaniya | बामणिया | Bamania
Baria | बारिया | Bariya
Rathwa | राठवा | Rathva
Gamit | गामित | Gamith
Tadvi | तड़वी | Tadavi
Kamli | कमली | Kamlee
Rukmani | रुक्मणी | Rukmini
Mangra | मंगरा | Mangara
Budhram | बुधराम | Budhraam
Dasrath | दशरथ | Dashrath
Bandhan | बंधन | Bandan
Salkhan | सालखन | Salkhen
Lakhan | लखन | Lakhun
Kerketta | केरकेट्टा | Kerketa
Tigga | तिग्गा | Tiga
Xalxo | खलखो | Khalkho
Kullu | कुल्लू | Kulu
Baskey | बास्की | Baski
Besra | बेसरा | Besera
Majhi | मांझी | Manjhi
Rita | रीता | Reeta
Samuel | सैमुअल | Samual
David | डेविड | Devid
Daniel | डैनियल | Danial
Stephen | स्टीफन | Stefan, Steven
Michael | माइकल | Micheal, Mickael
James | जेम्स | Jems
Benny | बेनी | Beny
Johnson | जॉनसन | Jonson
Wilson | विल्सन | Vilson
Alex | एलेक्स | Aleks
Vincent | विंसेंट | Vinsent
Sunny | सनी | Suny
Tomy | टॉमी | Tommy
Rosy | रोजी/रोज़ी | Rosi
Leela | लीला | Lila
Beena | बीना | Bina
Jolly | जॉली | Joly
Alice | एलिस | Alis
Gracy | ग्रेसी | Gracey
Noronha | नोरोन्हा | Noronah
Menezes | मेनेजेस/मेनेज़ेस | Menezis
Furtado | फुर्ताडो | Furtardo
Carvalho | कार्वाल्हो | Carvalo
Saldanha | सल्दान्हा | Saldana
Mascarenhas | मस्करेन्हास | Mascarenhaz
Almeida | अल्मेडा | Almeda
Lewis | लुईस | Louis
Sameer | समीर | Samir
Sohail | सोहेल | Sohel
Faisal | फैसल | Faizal
Aamir | आमिर | Amir
Junaid | जुनैद | Junaed
Tariq | तारिक/तारिक़ | Tarik, Tarique
Zubair | जुबैर/ज़ुबैर | Jubair, Zubaer
Khalid | खालिद | Khaled
Naushad | नौशाद | Noushad
Mehboob | महबूब | Mahboob, Mehaboob
Hasan | हसन | Hassan
Sabir | साबिर | Saabir
Shamim | शमीम | Shameem
Nizam | निजाम/निज़ाम | Nijam
Riyaz | रियाज/रियाज़ | Riyaj, Riaz
Ejaz | एजाज/एजाज़ | Ijaz, Aijaz
Ashraf | अशरफ | Asraf
Mukhtar | मुख्तार | Mukhtiyar
Shaukat | शौकत | Saukat
Sultana | सुल्ताना | Sultanah
Mumtaz | मुमताज/मुमताज़ | Mumtaj
Nargis | नरगिस | Nargish
Tabassum | तबस्सुम | Tabasum
Rubina | रुबीना | Rubeena
Yasmin | यास्मीन | Yasmeen, Jasmin
Rizvi | रिजवी/रिज़वी | Rizwi
Farooqui | फारूकी | Faruqui
Hashmi | हाशमी | Hashami
Kazi | काजी/क़ाज़ी | Qazi
Mulla | मुल्ला | Mullah
Inamdar | इनामदार | Enamdar
Bagwan | बागवान | Bagban
Tamboli | तांबोली | Tamboly
Pappu | पप्पू | Papu
Munna | मुन्ना | Muna
Guddu | गुड्डू | Gudu
Bablu | बबलू | Babloo
Sonu | सोनू | Sonoo
Monu | मोनू | Monoo
Chhotu | छोटू | Chotu
Kallu | कल्लू | Kalloo
Lallu | लल्लू | Lalloo
Tinku | टिंकू | Tinkoo
Pintu | पिंटू | Pintoo
Bunty | बंटी | Bunti
Golu | गोलू | Goloo
Kalia | कालिया | Kaliya
"""

#: Latin initials as Hindi records spell the letter ("K." is "के.").
_DEVANAGARI_LETTERS = {
    "A": "ए",
    "B": "बी",
    "C": "सी",
    "D": "डी",
    "E": "ई",
    "F": "एफ",
    "G": "जी",
    "H": "एच",
    "I": "आई",
    "J": "जे",
    "K": "के",
    "L": "एल",
    "M": "एम",
    "N": "एन",
    "O": "ओ",
    "P": "पी",
    "Q": "क्यू",
    "R": "आर",
    "S": "एस",
    "T": "टी",
    "U": "यू",
    "V": "वी",
    "W": "डब्ल्यू",
    "X": "एक्स",
    "Y": "वाई",
    "Z": "जेड",
}


@dataclass(frozen=True, slots=True)
class Word:
    """One name word: its usual Latin spelling, the other Latin spellings records use, and
    its Devanagari spellings (the usual first)."""

    latin: str
    variants: tuple[str, ...]
    devanagari: tuple[str, ...]

    @property
    def spellings(self) -> tuple[str, ...]:
        """Every Latin spelling, the usual first."""
        return (self.latin, *self.variants)


@cache
def lexicon() -> dict[str, Word]:
    """The name words by their usual Latin spelling (parsed once from the table above)."""
    words: dict[str, Word] = {}
    for line in _LEXICON.strip().splitlines():
        latin, devanagari, variants = (part.strip() for part in line.split("|"))
        if latin in words:
            raise ValueError(f"name word {latin!r} is in the table twice")
        others = tuple(v.strip() for v in variants.split(",") if v.strip() and v.strip() != latin)
        words[latin] = Word(latin, others, tuple(devanagari.split("/")))
    return words


# -- naming traditions --------------------------------------------------------------------------

#: How a tradition writes a name: given names then surname (with an optional middle name);
#: the father's initial before the given name (Tamil); the house name first (Telugu); the
#: father's given name after one's own (Kerala Christians).
GIVEN_SURNAME, INITIAL_GIVEN, HOUSE_GIVEN, GIVEN_FATHER = (
    "given_surname",
    "initial_given",
    "house_given",
    "given_father",
)


@dataclass(frozen=True, slots=True)
class Group:
    """A naming tradition: its share of the population, the States its people live in
    (weights), and its names, the most common first (``Word=Spelling`` when the tradition
    prefers a spelling other than the table's usual one, "Kavitha" in the South)."""

    name: str
    share: float
    states: tuple[tuple[str, float], ...]
    male: str
    female: str
    surnames: str
    style: str = GIVEN_SURNAME
    #: Family names of women in place of the family's (Devi, Khatoon), with their weights.
    female_surnames: tuple[tuple[str, float], ...] = ()
    #: Whether the father's given name is the middle name (Marathi, Gujarati).
    father_middle: bool = False
    #: Share of given names (sons, fathers) built from two parts (Ram + Narayan) ...
    compounds: tuple[float, float] = (0.0, 0.0)
    #: ... and the first and second parts they are built from.
    parts: tuple[str, str] = ("", "")


#: The traditions, with shares roughly those of the persons arrested across India (the North
#: weighs most). Common names compiled by hand, no real persons.
GROUPS: tuple[Group, ...] = (
    Group(
        "north_hindu",
        0.36,
        (
            ("UP", 30),
            ("BR", 18),
            ("MP", 14),
            ("RJ", 12),
            ("DL", 8),
            ("HR", 8),
            ("JH", 5),
            ("CG", 5),
        ),
        male="Ramesh Suresh Rajesh Sanjay Manoj Sunil Anil Rakesh Mukesh Dinesh Vijay Ajay "
        "Santosh Pankaj Ashok Amit Rahul Deepak Pradeep Sandeep Vikas Ravi Raju Rajendra "
        "Surendra Virendra Dharmendra Jitendra Narendra Mahesh Naresh Umesh Vinod Pramod Arun "
        "Mohan Gopal Krishna Shyam Ram Shiv Subhash Kamlesh Yogesh Satish Rohit Manish Ankit "
        "Sachin Nitin Vishal Laxman Shrikant Dilip Prakash Om Hari Sohan Bhagwan Jagdish "
        "Shankar Baldev Prem Mahendra Girish Harish",
        female="Sunita Anita Kavita Savita Geeta Seema Rekha Pooja Priya Laxmi Suman Usha Asha "
        "Meena Reena Kiran Sarita Mamta Neha Poonam Radha Sita Kamla Shanti Pushpa Urmila Manju "
        "Rani Parvati Saroj",
        surnames="Kumar Singh Yadav Sharma Verma Gupta Mishra Tiwari Pandey Chaudhary Prasad "
        "Chauhan Jha Pal Maurya Kushwaha Paswan Ram Rajput Gurjar Sahu Saini Thakur Tripathi "
        "Dubey Srivastava Rawat Lodhi Nishad Kashyap Prajapati Mahto Jatav Meghwal Patel",
        female_surnames=(("Devi", 0.45), ("Kumari", 0.1)),
        compounds=(0.2, 0.45),
        parts=(
            "Ram Shiv Hari Om Prem Shyam Krishna Raj Dev Jai Satya Gyan Ved Brij Surya Chandra "
            "Kamal Nand Ishwar Bhanu Jag",
            "Prakash Narayan Kishore Kumar Shankar Nath Pal Lal Chand Dutt Veer Mohan Bhushan "
            "Pratap Sharan Avtar Sewak Gopal Swaroop Das Prasad Bahadur",
        ),
    ),
    Group(
        "muslim",
        0.14,
        (
            ("UP", 30),
            ("BR", 12),
            ("MH", 12),
            ("WB", 12),
            ("DL", 6),
            ("RJ", 5),
            ("MP", 5),
            ("GJ", 5),
            ("KA", 5),
            ("TS", 5),
            ("AS", 3),
        ),
        male="Irfan Salim Rashid Javed Imran Asif Shahid Wasim Nadeem Aslam Akram Rafiq Shakeel "
        "Arif Sajid Anwar Yusuf Iqbal Aziz Ahmad Jameel Sharif Zakir Nasir Kalim Raees Mustafa "
        "Ismail Ibrahim Yakub Rahman Hussain Ali Usman Farooq Sameer Sohail Faisal Aamir "
        "Junaid Tariq Zubair Khalid Naushad Mehboob Hasan Sabir Shamim Nizam Riyaz Ejaz Ashraf "
        "Mukhtar Shaukat",
        female="Shabana Nasreen Farzana Rukhsana Fatima Ayesha Reshma Salma Shahnaz Parveen "
        "Zareena Noor Sabina Nazia Shaheen Sultana Mumtaz Nargis Tabassum Rubina Yasmin",
        surnames="Khan Shaikh Ansari Qureshi Siddiqui Pathan Syed Mansuri Malik Mirza Ali "
        "Hussain Ahmad Saifi Shah Rizvi Farooqui Hashmi Kazi Mulla Inamdar Bagwan Tamboli",
        female_surnames=(("Khatoon", 0.25), ("Bano", 0.15), ("Begum", 0.1), ("Bibi", 0.05)),
    ),
    Group(
        "marathi",
        0.09,
        (("MH", 95), ("GJ", 2), ("KA", 3)),
        male="Santosh Ganesh Sachin Sandeep Vijay Prakash Dnyaneshwar Balasaheb Dattatray "
        "Vitthal Sunil Anil Shrikant Nitin Rahul Mahesh Sagar Amol Tushar Yogesh Vishal "
        "Pandurang Ramesh Suresh Ashok Sanjay Dilip Vilas Shivaji Sambhaji Bhausaheb Maruti "
        "Kisan Baban Raghunath Namdev Tukaram Ravindra Sudhakar Machhindra Bapu Kashinath "
        "Eknath Uttam Popat Dhondiba Bhimrao Arjun Rajaram Sopan Tanaji Somnath Ankush",
        female="Sunita Savita Manisha Sangita Vaishali Jyoti Kavita Lata Rekha Swati Sarika "
        "Ujwala Sushila Mangal Shobha Rohini Suvarna Anjana Chhaya Kalpana Archana Vandana "
        "Sharada",
        surnames="Jadhav Patil Pawar Shinde More Kale Gaikwad Deshmukh Kulkarni Joshi Chavan "
        "Bhosale Kamble Salunkhe Thorat Wagh Mane Kadam Sawant Kharat Gawali Sonawane Lokhande "
        "Waghmare Ingale Bhise Jagtap Garud Nikam Borade Shelke Ghuge Gite",
        father_middle=True,
    ),
    Group(
        "bengali",
        0.07,
        (("WB", 75), ("AS", 12), ("JH", 5), ("OD", 3), ("DL", 5)),
        male="Sujit Biswajit Subrata Tapas Prasenjit Debashis Amit Sanjay=Sanjoy Partha Gopal "
        "Swapan Ashok Tarun Uttam Bapi Raju Sukumar Kartik Prashant=Prasanta Vikas=Bikash "
        "Sourav Arindam Abhijit Sanjeev=Sanjib Dipankar Gautam=Goutam Nirmal Pradeep=Pradip "
        "Ranjit Nikhil Subhash=Subhas Anup Kalyan Mrinal Rajiv=Rajib Sukanta Ravi=Rabi Kanai",
        female="Reena=Rina Mitali Sumitra Pooja=Puja Mousumi Savita=Sabita Anjali Shampa Rupa "
        "Tumpa Rita Kalpana Archana Sharada Chhaya Anjana",
        surnames="Das Mondal Sarkar Ghosh Roy Biswas Dey Saha Pal=Paul Bag Halder Chatterjee "
        "Banerjee Mukherjee Dutta Bose Pramanik Majumdar Bhattacharya Sen Chakraborty Mitra "
        "Naskar Sardar Barman Adhikari",
    ),
    Group(
        "tamil",
        0.06,
        (("TN", 92), ("KA", 4), ("KL", 4)),
        male="Murugan Selvam Senthil Kartik=Karthik Suresh Ramesh Ravi Kumar Raja Saravanan "
        "Velu Arumugam Ganesan Muthu Manikandan Venkatesh Srinivasan Narayanan Krishnan "
        "Subramani Balaji Prakash Anand Vijay Shankar Ramu Rajendran Palani Kannan Mani "
        "Kumaresan Ayyappan Pandi Perumal",
        female="Laxmi=Lakshmi Selvi Kavita=Kavitha Revathi Saranya Priya Devi Jayanthi Malathi "
        "Vasanthi Parvati=Parvathi Padma Meena Rani Anita=Anitha Sumathi Kala Valli Amutha "
        "Chitra",
        surnames="",
        style=INITIAL_GIVEN,
        compounds=(0.45, 0.45),
        parts=(
            "Muthu Selva Bala Siva Arul Anbu Mani Sundar Thiru Vel Senthil Chinna Karuppa",
            "Kumar Raj Murugan Sekar Pandian Durai Mani Samy Vel Lingam Nathan Selvan",
        ),
    ),
    Group(
        "telugu",
        0.06,
        (("AP", 50), ("TS", 45), ("KA", 5)),
        male="Srinivas Venkatesh Ramesh Suresh Ravi Raju Naresh Mahesh Nagaraju Venkanna "
        "Anjaneyulu Satyanarayana Krishna Prasad Ramu Koteswara Sai Kiran Shrikant=Srikanth "
        "Rambabu",
        female="Laxmi=Lakshmi Padma Swati=Swathi Anita=Anitha Sujatha Radha Vijaya "
        "Sunita=Sunitha Rani Durga Kala Chitra Jyoti=Jyothi Sharada",
        surnames="Kothapalli Gundala Boddu Chinthala Bandi Pulla Gaddam Kasula Dasari Thota "
        "Mekala Pothula Vemula Gollapalli Pasupuleti Nalla Kandula Mandala Bolla Gorantla",
        style=HOUSE_GIVEN,
        compounds=(0.4, 0.45),
        parts=(
            "Venkata Siva Rama Sai Naga Satya Surya Koteswara Bala",
            "Ramana Rao Prasad Kumar Raju Krishna Samy Babu Narayan Murthy",
        ),
    ),
    Group(
        "gujarati",
        0.05,
        (("GJ", 88), ("MH", 7), ("RJ", 5)),
        male="Ramesh Mahesh Dinesh Bharat Jayesh Hitesh Kalpesh Nilesh Rakesh Vijay Jignesh "
        "Ketan Alpesh Mukesh Paresh Bhavesh Pravin Ashwin Natvarlal Kanti Jagdish Dilip "
        "Rajendra Chirag Vipul Mehul Hardik Bhupendra Kishore=Kishor Arvind Shailesh "
        "Ghanshyam Sanjay Mahendra Narendra",
        female="Savita Geeta Hansa Bhavna Kokila Manisha Nisha Daksha Varsha Jyoti Kavita "
        "Hetal Nayna Sonal Parul Rekha Usha",
        surnames="Patel Shah Parmar Solanki Chauhan Makwana Vaghela Rathod Jadeja Desai Thakor "
        "Prajapati Bharwad Rabari Modi Trivedi Pandya Bhatt Mehta Rana Koli",
        father_middle=True,
    ),
    Group(
        "kannada",
        0.04,
        (("KA", 92), ("MH", 4), ("GA", 4)),
        male="Manjunath Nagaraj Ravi Ramesh Suresh Mahesh Prakash Basavaraj Shivakumar "
        "Mallikarjun Raghavendra Lokesh Santosh Girish Chandrashekar Siddaraju Umesh "
        "Hanumanthappa Ningappa",
        female="Laxmi=Lakshmi Manjula Geeta=Geetha Savita=Savitha Shobha Sumitra Nagamma Bhagya "
        "Renuka Kavya Pushpa Rupa=Roopa Yashoda",
        surnames="Gowda Shetty Naik Hegde Patil Poojary Rao Reddy Kulkarni",
        compounds=(0.35, 0.35),
        parts=(
            "Siva Basava Chandra Naga Rama Raghu Nanja Chikka",
            "Nath Kumar Raj Appa Samy Raju Murthy Prasad Sekar",
        ),
    ),
    Group(
        "sikh",
        0.03,
        (("PB", 75), ("HR", 12), ("DL", 8), ("RJ", 5)),
        male="Satnam Karnail Harbhajan Mohinder Kashmir Darshan Gurnam Bhupinder Joginder Surjit "
        "Tarsem Balkar",
        female="",
        surnames="Sandhu Gill Sidhu Dhillon Brar Grewal Randhawa Bajwa Virk Mann",
        compounds=(0.85, 0.75),
        parts=(
            "Gur Har Jas Man Sukh Bal Kul Param Aman Kamal Lakh Jag Raj Ran Nav Gagan",
            "Preet Winder Jit Deep Meet Bir Jinder Pal Dev",
        ),
    ),
    Group(
        "christian",
        0.03,
        (("KL", 55), ("GA", 15), ("KA", 12), ("MH", 10), ("TN", 8)),
        male="Joseph Thomas George Mathew John Jacob Abraham Varghese Kurian Philip Antony "
        "Francis Sebastian Paul Peter Xavier Babu Biju Saji Samuel David Daniel Stephen Michael "
        "James Benny Johnson Wilson Alex Vincent Sunny Tomy",
        female="Mary Elizabeth Annamma Susan Sheela Mercy Jessy Lissy Molly Sini Rosy Leela "
        "Beena Jolly Alice Gracy",
        surnames="Fernandes D'Souza Pereira Rodrigues Gomes Dias Lobo Pinto Colaco D'Costa "
        "Noronha Menezes Furtado Carvalho Saldanha Mascarenhas Almeida Lewis",
    ),
    Group(
        "tribal_east",
        0.03,
        (("JH", 50), ("OD", 25), ("CG", 15), ("WB", 5), ("AS", 5)),
        male="Budhu Somra Mangal Budhwa Sukra Etwa Birsa Soma Jitu Sukhram Bhola Karma Lalu "
        "Sanjay Sunil Ramesh Anil Mangra Shibu Suresh Rajesh Prakash Budhram Dasrath Gopal "
        "Bandhan Salkhan Lakhan Shankar Ravi",
        female="Somari Budhni Sukhmani Phulmani Sita Sunita Basanti Mangri Sarita Rita Sushila "
        "Anita Jayanthi=Jayanti",
        surnames="Munda Oraon Soren Murmu Hansda Tudu Kisku Hembrom Marandi Tirkey Ekka Kujur "
        "Minz Lakra Toppo Kerketta Tigga Xalxo Kullu Baskey Besra Majhi",
    ),
    Group(
        "malayali",
        0.02,
        (("KL", 90), ("TN", 5), ("KA", 5)),
        male="Rajan Suresh Ramesh Biju Shaji Manoj Santosh=Santhosh Vinod Pradeep Sreejith "
        "Sajeev Sudheer Unnikrishnan Anil Sunil Babu Ratheesh Jayan Shibu Prashant=Prasanth "
        "Vishnu Arun",
        female="Laxmi=Lakshmi Sheela Bindu Sindhu Priya Lata=Latha Remya Divya Sreeja Beena "
        "Leela Geeta=Geetha Rekha",
        surnames="Nair Menon Pillai Kurup Nambiar Panicker",
        compounds=(0.3, 0.3),
        parts=(
            "Anil Sunil Vinod Sasi Gopa Ajith Santosh Suresh Manoj Rajesh Unni",
            "Kumar Krishnan Lal",
        ),
    ),
    Group(
        "tribal_west",
        0.02,
        (("MP", 40), ("GJ", 30), ("RJ", 25), ("MH", 5)),
        male="Kalu Mangilal Nathu Ramesh Dinesh Kamlesh Rakesh Shankar Sukhram Dhanna Bhima "
        "Kanha Mohan Prakash Naran Gopal Rajesh Mukesh Dilip Jaswant Lalu Ravi",
        female="Dhapu Kamla Sita Radha Sunita Laxmi Sukhi Kamli Rukmani Shanti Geeta",
        surnames="Bhil Gond Damor Vasava Bhuria Katara Garasiya Ninama Mavi Bamaniya Baria "
        "Rathwa Gamit Tadvi Chaudhary",
    ),
)

#: Sikh women's names end in these only (Manpreet Kaur, Rajwinder Kaur; not -pal or -dev).
_SIKH_SECOND_WOMEN = "Preet Winder Jit Deep Meet Jinder"
#: The second words of "Abdul ..." names.
_ABDUL = "Rahman Rashid Aziz Karim Majid Hamid Latif Qadir Sattar Jabbar Wahid Salam"
#: Surnames of fathers of North Indian men whose own "surname" is Kumar.
_NORTH_FATHER_SURNAMES = "Prasad Lal Ram Singh Kumar Nath Das Yadav Mahto Paswan"
#: The caste names some Telugu names end with.
_TELUGU_SUFFIXES = "Reddy Naidu Rao Goud"
_NICKNAMES = "Pappu Munna Guddu Bablu Sonu Monu Chhotu Kallu Lallu Tinku Pintu Bunty Golu Kalia"

# -- places -------------------------------------------------------------------------------------
#
# The districts are real; where a district was renamed, records carry both names (the new
# name first). Police station codes are made up.

_PLACES = """
MH: AU Aurangabad=Chhatrapati Sambhajinagar; PU Pune; NG Nagpur; TH Thane; MU Mumbai; NS Nashik; SO Solapur; KO Kolhapur
UP: LKO Lucknow; KNP Kanpur Nagar=Kanpur; AGR Agra; VNS Varanasi; PRJ Prayagraj=Allahabad; GKP Gorakhpur; MRT Meerut; BLY Bareilly
BR: PAT Patna; GAY Gaya; MUZ Muzaffarpur; BHG Bhagalpur; DBG Darbhanga
MP: BPL Bhopal; IND Indore; GWL Gwalior; JBP Jabalpur; REW Rewa
RJ: JPR Jaipur; JDH Jodhpur; KOT Kota; AJM Ajmer; UDR Udaipur
DL: CEN Central Delhi; NTH North Delhi; STH South Delhi; EST East Delhi; WST West Delhi
HR: GGN Gurugram=Gurgaon; FBD Faridabad; HSR Hisar; RTK Rohtak; PNP Panipat
PB: LDH Ludhiana; ASR Amritsar; JAL Jalandhar; PTL Patiala; BTI Bathinda
GJ: AHD Ahmedabad; SRT Surat; VAD Vadodara=Baroda; RJK Rajkot; BHV Bhavnagar
WB: KOL Kolkata=Calcutta; HWH Howrah; N24 North 24 Parganas; MLD Malda; MSD Murshidabad
AS: KMM Kamrup Metropolitan; NGN Nagaon; DBR Dibrugarh; BPT Barpeta
JH: RNC Ranchi; DHN Dhanbad; JSR East Singhbhum; GML Gumla; DMK Dumka
OD: KHD Khordha; CTK Cuttack; MYB Mayurbhanj; SNG Sundargarh
CG: RPR Raipur; BLS Bilaspur; DRG Durg; BST Bastar
TN: CHN Chennai=Madras; CBE Coimbatore; MDU Madurai; TRY Tiruchirappalli=Trichy; SLM Salem; TNV Tirunelveli
KA: BLR Bengaluru Urban=Bangalore Urban; MYS Mysuru=Mysore; BGM Belagavi=Belgaum; KLB Kalaburagi=Gulbarga; DK Dakshina Kannada
KL: TVM Thiruvananthapuram=Trivandrum; EKM Ernakulam; KZD Kozhikode=Calicut; TSR Thrissur=Trichur; KTM Kottayam
AP: VSP Visakhapatnam=Vizag; GNT Guntur; KRN Kurnool; NLR Nellore; ATP Anantapuramu=Anantapur
TS: HYD Hyderabad; WGL Warangal; KHM Khammam; NZB Nizamabad; KNR Karimnagar
GA: NG North Goa; SG South Goa
"""

_STATION_NAMES = [
    "KOTWALI",
    "CITY",
    "SADAR",
    "CIVIL_LINES",
    "CANTT",
    "RURAL",
    "TOWN",
    "MIDC",
    "NAGAR",
    "COLONY",
    "BAZAR",
    "STATION_RD",
    "INDUSTRIAL",
    "OLD_CITY",
    "NEW_TOWN",
]
_STATIONS_PER_DISTRICT = 3

#: States whose police write FIRs in Devanagari (Hindi, and Marathi in Maharashtra).
_DEVANAGARI_STATES = ("UP", "BR", "MP", "RJ", "DL", "HR", "JH", "CG", "MH")
#: Where people from elsewhere go to work, with weights.
_DESTINATIONS = (
    ("MH", 25),
    ("DL", 20),
    ("GJ", 15),
    ("KA", 10),
    ("HR", 10),
    ("PB", 5),
    ("TN", 5),
    ("TS", 5),
    ("KL", 5),
)
_SENDING_STATES = ("UP", "BR", "JH", "OD", "WB", "RJ", "MP", "CG", "AS")


@dataclass(frozen=True, slots=True)
class District:
    """A district: its State, its code in FIR numbers, its names (the usual first), and its
    police stations' codes."""

    state: str
    code: str
    names: tuple[str, ...]
    stations: tuple[str, ...]


@cache
def districts() -> dict[str, tuple[District, ...]]:
    """The districts of each State (parsed once from the table above)."""
    found: dict[str, tuple[District, ...]] = {}
    n = 0
    for line in _PLACES.strip().splitlines():
        state, rest = line.split(":", 1)
        row = []
        for item in rest.split(";"):
            code, names = item.strip().split(" ", 1)
            stations = tuple(
                _STATION_NAMES[(n * 7 + k * 5) % len(_STATION_NAMES)]
                for k in range(_STATIONS_PER_DISTRICT)
            )
            n += 1
            row.append(District(state, code, tuple(names.split("=")), stations))
        found[state.strip()] = tuple(row)
    return found


def check_tables() -> list[str]:
    """What is wrong with the tables: a word a tradition names that the lexicon lacks, a
    preferred spelling the lexicon does not know, a State without districts, a Devanagari
    spelling with Latin letters in it. Empty when all is well."""
    words = lexicon()
    problems = []
    named = [
        *_SIKH_SECOND_WOMEN.split(),
        *_ABDUL.split(),
        *_NORTH_FATHER_SURNAMES.split(),
        *_TELUGU_SUFFIXES.split(),
        *_NICKNAMES.split(),
        "Mohammad",
        "Abdul",
        "Bhai",
        "Ben",
    ]
    for group in GROUPS:
        named += [*group.male.split(), *group.female.split(), *group.surnames.split()]
        named += [*group.parts[0].split(), *group.parts[1].split()]
        named += [name for name, _ in group.female_surnames]
        for state, _ in group.states:
            if state not in districts():
                problems.append(f"{group.name}: no districts for {state}")
    for entry in named:
        key, _, preferred = entry.partition("=")
        word = words.get(key)
        if word is None:
            problems.append(f"{key!r} is not in the lexicon")
        elif preferred and preferred not in word.spellings:
            problems.append(f"{key!r}: {preferred!r} is not one of its spellings")
    for word in words.values():
        for spelling in word.devanagari:
            if any("a" <= c.lower() <= "z" for c in spelling):
                problems.append(f"{word.latin!r}: Latin letters in {spelling!r}")
    if abs(sum(g.share for g in GROUPS) - 1.0) > 1e-9:
        problems.append("the groups' shares do not add up to 1")
    return problems


# -- the rates ----------------------------------------------------------------------------------
#
# Each is the share of records (or persons, or words) that shows the variation; the module's
# docstring says why each is about what real exchanges see.

#: Case records per person: most accused appear once, repeat offenders several times.
RECORDS_PER_PERSON = ((1, 62), (2, 21), (3, 11), (4, 5), (5, 1))
#: Accused per case.
ACCUSED_PER_CASE = ((1, 62), (2, 20), (3, 11), (4, 7))
ROLES = ((Role.ACCUSED, 45), (Role.ARRESTED, 25), (Role.CHARGED, 18), (Role.INMATE, 12))
#: Age at the first record, by band: juveniles are few, most accused are 18 to 45.
AGE_BANDS = ((15, 17, 2), (18, 24, 24), (25, 29, 20), (30, 34, 16), (35, 44, 22), (45, 54, 11))
AGE_BANDS_OLD = (55, 70, 5)
FEMALE = 0.09
OWN_UNUSUAL_SPELLING = 0.12
WORD_VARIANT = 0.12
DEVANAGARI_VARIANT = 0.10
TYPO = 0.03
DEVANAGARI_RECORD = 0.25
GIVEN_INITIAL = 0.06
SURNAME_FIRST = 0.07
SURNAME_DROPPED = 0.03
HONORIFIC = 0.06
UPPER_CASE = 0.18
LOWER_CASE = 0.02
COMPOUND_SPACED = 0.25
ALIAS_PERSON = 0.07
ALIAS_IN_RECORD = 0.5
FATHER_MISSING = 0.15
FATHER_SHORT = 0.25
FATHER_LATE = 0.03
MARRIED = 0.75
HUSBAND_NAMED = 0.35
DOB_IN_RECORD = 0.15
DOB_DEFAULT_JAN_1 = 0.2
AGE_MISSING = 0.12
AGE_ERRORS = ((0, 55), (1, 14), (-1, 14), (2, 6), (-2, 5), (3, 2), (-3, 2), (5, 1), (-5, 1))
AGE_HEAPING = 0.12
MOVES_DISTRICT = 0.14
MOVES_STATE = 0.08
CRIME_AWAY = 0.15
ADDRESS_MISSING = 0.10
GENDER_UNKNOWN = 0.04
LICENCE_HOLDER = 0.04
LICENCE_ONLY = 0.01
DL_ON_CASE_RECORD = 0.4

FIRST_DAY = dt.date(2012, 1, 1)
LAST_DAY = dt.date(2025, 12, 31)
#: The day the BNS replaced the IPC: sections before it are IPC's.
BNS_DAY = dt.date(2024, 7, 1)
_IPC = ("IPC 379", "IPC 420", "IPC 323", "IPC 307", "IPC 302", "IPC 392", "IPC 457", "IPC 406")
_BNS = ("BNS 303(2)", "BNS 318(4)", "BNS 115(2)", "BNS 109", "BNS 103(1)", "BNS 309(4)")
_SPECIAL = ("NDPS 20", "Arms 25")


# -- persons ------------------------------------------------------------------------------------

#: A name word: one lexicon key, or two for a compound (Ram + Narayan).
Token = tuple[str, ...]


@dataclass(frozen=True, slots=True)
class Name:
    """A person's name as the person would write it, in words of the lexicon."""

    style: str
    given: tuple[Token, ...]
    surname: tuple[Token, ...] = ()
    #: Kept or dropped record by record ("Kumar", the father's given name).
    middle: tuple[Token, ...] = ()
    #: The father's given name, for the initial or full name of Tamil and Kerala names.
    father_given: Token | None = None
    #: The caste name a Telugu name may end with.
    suffix: tuple[Token, ...] = ()
    #: A Sikh clan name after "Singh" or "Kaur", written or not.
    clan: tuple[Token, ...] = ()
    #: "-bhai" / "-ben" after the first given name (Gujarati).
    respect: str | None = None

    def key(self) -> str:
        """Given names and surname in their usual spelling: what "the same full name" means."""
        words = [*self.given, *self.surname] if self.surname else [*self.given, *self.suffix]
        # Lower case: "Selvaraj" and "Selva" + "Raj" are one name.
        return " ".join("".join(token).lower() for token in words)


@dataclass(slots=True)
class TruePerson:
    """One person of the population, as the world knows them."""

    id: str
    group: Group
    gender: str
    name: Name
    father: Name
    #: A married woman's husband (records name him in place of her father now and then).
    spouse: Name | None
    born: dt.date
    #: The day of the person's first record.
    first_record: dt.date
    #: The date of birth the person's documents carry (1 January for many).
    documented_birth: dt.date
    #: (from, State, district): where the person lived from that day on.
    homes: list[tuple[dt.date, str, District]]
    alias: str | None
    licence: str | None
    #: The person's own spelling of each word, fixed at first use.
    spelling: dict[str, str] = field(default_factory=dict)

    def home_on(self, day: dt.date) -> tuple[str, District]:
        """Where the person lived on ``day``."""
        current = self.homes[0]
        for home in self.homes:
            if home[0] <= day:
                current = home
        return current[1], current[2]


class _Table(Generic[T]):
    """Values with weights, drawn from by one random number each."""

    def __init__(self, pairs: Sequence[tuple[T, float]]) -> None:
        self.values = [value for value, _ in pairs]
        self.cumulative = list(accumulate(weight for _, weight in pairs))

    def draw(self, rng: random.Random) -> T:
        """One value, as likely as its weight."""
        i = bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        return self.values[min(i, len(self.values) - 1)]


_GROUP_TABLE = _Table([(g, g.share) for g in GROUPS])
_AGE_TABLE = _Table([((lo, hi), w) for lo, hi, w in (*AGE_BANDS, AGE_BANDS_OLD)])
_AGE_ERROR_TABLE = _Table(AGE_ERRORS)
_ACCUSED_TABLE = _Table(ACCUSED_PER_CASE)
_RECORDS_TABLE = _Table(RECORDS_PER_PERSON)
_ROLE_TABLE = _Table(ROLES)


@cache
def _state_table(group: str) -> _Table[str]:
    return _Table(next(g for g in GROUPS if g.name == group).states)


@dataclass(frozen=True, slots=True)
class _Pool:
    """Names of one list with Zipf-like weights: the first is the most common, the tenth
    about a quarter as common (exponent 0.6; flatter than the usual shape of name
    frequencies, because these lists hold only each tradition's common names, not its
    long tail)."""

    keys: tuple[str, ...]
    preferred: tuple[str | None, ...]
    cumulative: tuple[float, ...]

    @classmethod
    def of(cls, names: str, exponent: float = 0.6) -> _Pool:
        entries = [e.partition("=") for e in names.split()]
        weights = [1.0 / (rank + 1) ** exponent for rank in range(len(entries))]
        cumulative, total = [], 0.0
        for w in weights:
            total += w
            cumulative.append(total)
        return cls(
            tuple(e[0] for e in entries),
            tuple(e[2] or None for e in entries),
            tuple(cumulative),
        )

    def draw(self, rng: random.Random) -> tuple[str, str | None]:
        """One name and the spelling its tradition prefers, if any."""
        i = bisect_right(self.cumulative, rng.random() * self.cumulative[-1])
        i = min(i, len(self.keys) - 1)
        return self.keys[i], self.preferred[i]


@cache
def _pools(group: str) -> dict[str, _Pool]:
    found = next(g for g in GROUPS if g.name == group)
    pools = {}
    for kind, names in (
        ("male", found.male),
        ("female", found.female),
        ("surnames", found.surnames),
    ):
        if names:
            pools[kind] = _Pool.of(names)
    if found.parts[0]:
        pools["first_part"] = _Pool.of(found.parts[0])
        pools["second_part"] = _Pool.of(found.parts[1])
    pools["sikh_second_women"] = _Pool.of(_SIKH_SECOND_WOMEN)
    pools["abdul"] = _Pool.of(_ABDUL)
    pools["north_father"] = _Pool.of(_NORTH_FATHER_SURNAMES)
    pools["telugu_suffix"] = _Pool.of(_TELUGU_SUFFIXES, exponent=0.5)
    pools["nickname"] = _Pool.of(_NICKNAMES, exponent=0.5)
    return pools


class _Maker:
    """Makes persons of one population: names, births, homes, licences."""

    def __init__(self, rng: random.Random) -> None:
        self.rng = rng
        self.licences = 0
        #: Preferred spellings per person being made (``Word=Spelling`` of a tradition).
        self.preferred: dict[str, str] = {}

    def word(self, pool: _Pool) -> str:
        key, preferred = pool.draw(self.rng)
        if preferred:
            self.preferred[key] = preferred
        return key

    def given(self, group: Group, gender: str, *, elder: bool) -> tuple[Token, ...]:
        """A given name (one or two words) of ``group`` for ``gender``; ``elder``: of the
        fathers' generation, whose North Indian names are more often compounds."""
        pools = _pools(group.name)
        rng = self.rng
        share = group.compounds[1 if elder else 0]
        sikh_woman = group.name == "sikh" and gender == "female"
        if group.parts[0] and (sikh_woman or (gender == "male" and rng.random() < share)):
            first = self.word(pools["first_part"])
            second = self.word(pools["sikh_second_women" if sikh_woman else "second_part"])
            if first != second:
                return ((first, second),)
        if group.name == "muslim" and gender == "male":
            r = rng.random()
            if r < 0.35:
                return (("Mohammad",), (self.word(pools["male"]),))
            if r < 0.43:
                return (("Abdul",), (self.word(pools["abdul"]),))
        return ((self.word(pools["male" if gender == "male" else "female"]),),)

    def family(self, group: Group) -> tuple[Token, ...]:
        """A family's surname words (none for Tamil names; a Sikh family's clan, if it
        uses one)."""
        pools = _pools(group.name)
        if group.style == INITIAL_GIVEN:
            return ()
        if group.name == "muslim" and self.rng.random() < 0.25:
            return ()
        if group.name == "sikh" and self.rng.random() < 0.45:
            return ()
        if group.name == "christian" and self.rng.random() < 0.55:
            return ()  # Kerala Christians: the father's given name in place of a surname
        return ((self.word(pools["surnames"]),),)

    def name(
        self,
        group: Group,
        gender: str,
        family: tuple[Token, ...],
        father_given: tuple[Token, ...],
        *,
        elder: bool,
    ) -> Name:
        """The name of a person of ``group`` whose family name is ``family`` and whose
        father's given name is ``father_given`` (``elder``: a father or husband)."""
        rng = self.rng
        pools = _pools(group.name)
        given = self.given(group, gender, elder=elder)
        for _ in range(3):
            if given != father_given:
                break
            given = self.given(group, gender, elder=elder)  # sons are rarely named after fathers
        first_of_father = father_given[0] if father_given else None
        if group.style == INITIAL_GIVEN:
            return Name(INITIAL_GIVEN, given, father_given=first_of_father)
        if group.style == HOUSE_GIVEN:
            suffix: tuple[Token, ...] = ()
            if rng.random() < 0.4:
                suffix = ((self.word(pools["telugu_suffix"]),),)
            return Name(HOUSE_GIVEN, given, surname=family, suffix=suffix)
        if group.name == "christian" and not family:
            return Name(GIVEN_FATHER, given, father_given=first_of_father)
        if group.name == "sikh":
            own = (("Singh",),) if gender == "male" else (("Kaur",),)
            return Name(GIVEN_SURNAME, given, surname=own, clan=family)
        surname = family
        if gender == "female" and group.female_surnames and not elder:
            pick = rng.random()
            for word, share in group.female_surnames:
                if pick < share:
                    surname = ((word,),)
                    break
                pick -= share
        middle: tuple[Token, ...] = ()
        if group.father_middle and father_given:
            middle = father_given[-1:]
        elif (
            group.name == "north_hindu"
            and gender == "male"
            and surname != (("Kumar",),)
            and len(given) == 1
            and len(given[0]) == 1
            and rng.random() < 0.25
        ):
            middle = (("Kumar",),)
        respect = None
        if group.name == "gujarati":
            respect = "Bhai" if gender == "male" else "Ben"
        return Name(
            GIVEN_SURNAME,
            given,
            surname=surname,
            middle=middle,
            respect=respect,
        )

    def person(self, index: int) -> TruePerson:
        """Person ``index`` of the population: tradition, names, birth, homes, licence."""
        rng = self.rng
        self.preferred = {}
        group = _GROUP_TABLE.draw(rng)
        gender = "female" if rng.random() < FEMALE else "male"
        family = self.family(group)
        pools = _pools(group.name)
        # The father: his own father's given name is only an initial or a middle name.
        grandfather = self.given(group, "male", elder=True)
        father_family = family
        if group.name == "north_hindu" and family in ((("Kumar",),), ()):
            father_family = ((self.word(pools["north_father"]),),)
        father = self.name(group, "male", father_family, grandfather, elder=True)
        name = self.name(group, gender, family, father.given, elder=False)
        spouse = None
        if gender == "female" and rng.random() < MARRIED:
            husband_father = self.given(group, "male", elder=True)
            spouse = self.name(group, "male", family, husband_father, elder=True)
        # Birth: the age at a first record, by band, counted back from a day in the period.
        low, high = _AGE_TABLE.draw(rng)
        age_then = rng.randint(low, high)
        first_day = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days - 180))
        born = first_day - dt.timedelta(days=age_then * 365 + rng.randrange(365))
        documented = born
        r = rng.random()
        if r < DOB_DEFAULT_JAN_1:
            documented = dt.date(born.year, 1, 1)
        elif r < DOB_DEFAULT_JAN_1 + 0.08:
            documented = born + dt.timedelta(days=rng.randint(-400, 400))
        state = _state_table(group.name).draw(rng)
        district = rng.choice(districts()[state])
        homes: list[tuple[dt.date, str, District]] = [(dt.date.min, state, district)]
        r = rng.random()
        moved_on = first_day + dt.timedelta(days=rng.randrange(365 * 6))
        if r < MOVES_STATE:
            choices = [(s, float(w)) for s, w in _DESTINATIONS if s != state]
            if state not in _SENDING_STATES:
                choices = [(s, 1.0) for s in districts() if s != state]
            to = _Table(choices).draw(rng)
            homes.append((moved_on, to, rng.choice(districts()[to])))
        elif r < MOVES_STATE + MOVES_DISTRICT and len(districts()[state]) > 1:
            others = [d for d in districts()[state] if d is not district]
            homes.append((moved_on, state, rng.choice(others)))
        alias = None
        if gender == "male" and rng.random() < ALIAS_PERSON:
            alias = self.word(pools["nickname"])
        licence = None
        if rng.random() < LICENCE_HOLDER + LICENCE_ONLY:
            self.licences += 1
            issued = min(max(born.year + rng.randint(18, 30), 2000), 2024)
            licence = f"{state}{rng.randint(1, 50):02d}{issued}{self.licences:07d}"
        person = TruePerson(
            id=f"P{index:07d}",
            group=group,
            gender=gender,
            name=name,
            father=father,
            spouse=spouse,
            born=born,
            first_record=first_day,
            documented_birth=documented,
            homes=homes,
            alias=alias,
            licence=licence,
        )
        for key, spelling in self.preferred.items():
            person.spelling[key] = spelling
        return person


# -- writing a person down ----------------------------------------------------------------------


class _Writer:
    """Writes one record's names for one person, in one script, with the variations of one
    clerk; counts what it varied in ``tally``."""

    def __init__(
        self, rng: random.Random, person: TruePerson, devanagari: bool, tally: Counter[str]
    ) -> None:
        self.rng = rng
        self.person = person
        self.devanagari = devanagari
        self.tally = tally
        self.words = lexicon()

    def spell(self, key: str) -> str:
        """One word as this record writes it."""
        word = self.words[key]
        rng = self.rng
        if self.devanagari:
            spellings = word.devanagari
            if len(spellings) > 1 and rng.random() < DEVANAGARI_VARIANT:
                self.tally["word spelt another way"] += 1
                return rng.choice(spellings[1:])
            return spellings[0]
        own = self.person.spelling.get(key)
        if own is None:
            own = word.latin
            if word.variants and rng.random() < OWN_UNUSUAL_SPELLING:
                own = rng.choice(word.variants)
            self.person.spelling[key] = own
        self.tally["words"] += 1
        if rng.random() < WORD_VARIANT:
            others = [s for s in word.spellings if s != own]
            if others:
                self.tally["word spelt another way"] += 1
                return rng.choice(others)
        return own

    def token(self, token: Token) -> str:
        """A word, or a compound joined ("Ramnarayan") or spaced ("Ram Narayan")."""
        parts = [self.spell(k) for k in token]
        if len(parts) == 1:
            return parts[0]
        spaced = COMPOUND_SPACED if not self.devanagari else COMPOUND_SPACED / 2
        if self.person.group.name == "sikh":
            spaced = 0.03  # "Gur Preet" is rare
        if self.rng.random() < spaced:
            return " ".join(parts)
        if self.devanagari:
            return "".join(parts)
        return parts[0] + "".join(p.lower() for p in parts[1:])

    def initial(self, token: Token) -> str:
        """A word's initial with its dot ("R."); in Devanagari, the English letter's name as
        Hindi records write initials ("आर.")."""
        if self.devanagari:
            return _DEVANAGARI_LETTERS[self.words[token[0]].latin[0].upper()] + "."
        return self.spell(token[0])[0].upper() + "."

    def given(self, name: Name, *, first_only: bool = False) -> list[str]:
        """The given names, "Mohammad" kept or dropped, "-bhai" added or not."""
        given = list(name.given)
        if len(given) > 1 and given[0] == ("Mohammad",) and self.rng.random() < 0.1:
            self.tally["Mohammad left out"] += 1
            given = given[1:]
        words = [self.token(t) for t in (given[:1] if first_only else given)]
        if name.respect and self.rng.random() < 0.4:
            suffix = self.spell(name.respect)
            words[0] = words[0] + (suffix if self.devanagari else suffix.lower())
        return words

    def full(self, name: Name) -> str:
        """The whole name with every word, as an identity document has it."""
        given = [self.token(t) for t in name.given]
        if name.style in (INITIAL_GIVEN, GIVEN_FATHER):
            if name.father_given is None:
                return " ".join(given)
            if name.style == INITIAL_GIVEN:
                return " ".join([self.initial(name.father_given), *given])
            return " ".join([*given, self.token(name.father_given)])
        if name.style == HOUSE_GIVEN:
            words = [*name.surname, *name.given, *name.suffix]
            return " ".join(self.token(t) for t in words)
        words = [*name.given, *name.middle, *name.surname, *name.clan]
        return " ".join(self.token(t) for t in words)

    def name(self, name: Name, *, father: bool = False) -> str:
        """The whole name in one of the forms records use."""
        rng = self.rng
        tally = self.tally
        r = rng.random()
        if name.style == INITIAL_GIVEN or name.style == GIVEN_FATHER:
            given = self.given(name)
            if name.father_given is None:
                return " ".join(given)
            initial = self.initial(name.father_given)
            forms: tuple[tuple[float, str], ...]
            if name.style == GIVEN_FATHER:
                forms = ((0.65, "full"), (0.10, "after"), (0.15, "before"), (0.10, "alone"))
            elif father:
                forms = ((0.2, "before"), (0.8, "alone"))
            else:
                forms = (
                    (0.45, "before"),
                    (0.12, "after"),
                    (0.15, "full"),
                    (0.06, "full_first"),
                    (0.10, "alone"),
                    (0.12, "tight"),
                )
            form = _pick(r, forms)
            tally[f"{'father form' if father else 'form'}: {form}"] += 1
            if form == "before":
                return " ".join([initial, *given])
            if form == "tight":
                return (
                    initial + " ".join(given)
                    if rng.random() < 0.5
                    else " ".join([initial[:-1], *given])
                )
            if form == "after":
                return " ".join([*given, initial])
            if form == "full":
                return " ".join([*given, self.token(name.father_given)])
            if form == "full_first":
                return " ".join([self.token(name.father_given), *given])
            return " ".join(given)
        if name.style == HOUSE_GIVEN:
            given = self.given(name)
            house = [self.token(t) for t in name.surname]
            suffix = [self.token(t) for t in name.suffix if rng.random() < 0.75]
            form = _pick(
                r,
                ((0.4, "house_first"), (0.3, "initial"), (0.1, "house_last"), (0.1, "no_house")),
                default="initial_after",
            )
            tally[f"{'father form' if father else 'form'}: {form}"] += 1
            if form == "house_first":
                return " ".join([*house, *given, *suffix])
            if form == "initial":
                return " ".join([self.initial(name.surname[0]), *given, *suffix])
            if form == "house_last":
                return " ".join([*given, *suffix, *house])
            if form == "no_house":
                return " ".join([*given, *suffix])
            return " ".join([*given, *suffix, self.initial(name.surname[0])])
        # Given names, middle name, surname.
        surname = list(name.surname)
        if name.clan:
            c = rng.random()
            if c < 0.55:
                surname = [*surname, *name.clan]  # "Gurpreet Singh Sandhu"
            elif c < 0.65:
                surname = list(name.clan)  # "Gurpreet Sandhu"
        middle: list[str] = []
        for token in name.middle:
            m = rng.random()
            if name.middle == (("Kumar",),):
                if m < 0.7:
                    middle.append(self.token(token))
            elif m < 0.35:
                middle.append(self.token(token))
            elif m < 0.45:
                middle.append(self.initial(token))
        last = [self.token(t) for t in surname]
        if father:
            form = _pick(r, ((0.75, "full"), (0.15, "given_only"), (0.10, "initial")))
            if not last:
                form = "full"
        else:
            form = _pick(
                r,
                (
                    (GIVEN_INITIAL, "initial"),
                    (SURNAME_FIRST, "surname_first"),
                    (SURNAME_DROPPED, "given_only"),
                ),
                default="full",
            )
            if not last:
                form = "full"
        tally[f"{'father form' if father else 'form'}: {form}"] += 1
        if form == "initial":
            return " ".join([self.initial(name.given[0]), *middle, *last])
        given = self.given(name)
        if form == "surname_first":
            return " ".join([*last, *given, *middle])
        if form == "given_only":
            return " ".join([*given, *middle])
        return " ".join([*given, *middle, *last])


def _pick(r: float, forms: Sequence[tuple[float, str]], default: str | None = None) -> str:
    """The form whose share ``r`` falls in; the last (or ``default``) past them all."""
    for share, form in forms:
        if r < share:
            return form
        r -= share
    return default if default is not None else forms[-1][1]


def _typo(rng: random.Random, text: str) -> str:
    """One typing slip in one word of four letters or more: a letter left out, two letters
    swapped, a letter doubled."""
    words = text.split(" ")
    long_words = [i for i, w in enumerate(words) if len(w) >= 4 and w.isalpha()]
    if not long_words:
        return text
    i = rng.choice(long_words)
    w = words[i]
    j = rng.randrange(1, len(w) - 1)
    kind = rng.randrange(3)
    if kind == 0:
        w = w[:j] + w[j + 1 :]
    elif kind == 1:
        w = w[:j] + w[j + 1] + w[j] + w[j + 2 :]
    else:
        w = w[:j] + w[j] + w[j:]
    words[i] = w
    return " ".join(words)


#: Honorifics by script, tradition and gender (Hindu titles are not used of Muslims and
#: Christians: "Mr.", "Janab", "Mrs.").
_HONORIFICS = {
    ("latin", "hindu", "male"): ("Shri", "Sri", "Mr.", "Shree"),
    ("latin", "hindu", "female"): ("Smt.", "Mrs.", "Kumari"),
    ("latin", "other", "male"): ("Mr.", "Janab"),
    ("latin", "other", "female"): ("Mrs.", "Ms."),
    ("devanagari", "hindu", "male"): ("श्री",),
    ("devanagari", "hindu", "female"): ("श्रीमती", "कुमारी"),
    ("devanagari", "other", "male"): ("श्री", "जनाब"),
    ("devanagari", "other", "female"): ("श्रीमती",),
}


# -- records ------------------------------------------------------------------------------------


@dataclass(frozen=True, slots=True)
class LabelledMention:
    """A record as an event states it, and the true person it belongs to."""

    truth: str
    mention: PersonMention


@dataclass(slots=True)
class _Slot:
    """One case record of one person before its case is known."""

    person: int
    day: dt.date
    station: tuple[str, str, str]
    role: Role
    case: int = -1
    party: int = 0


def _stated_age(rng: random.Random, born: dt.date, on: dt.date, tally: Counter[str]) -> int:
    """The age a record states on ``on``: the true age, misstated now and then, and rounded
    to a multiple of five by some who guess."""
    true = on.year - born.year - ((on.month, on.day) < (born.month, born.day))
    error = _AGE_ERROR_TABLE.draw(rng)
    age = max(true + error, 7)
    if error:
        tally["age misstated by 1"] += abs(error) == 1
        tally["age misstated by 2 or more"] += abs(error) >= 2
    if age >= 25 and rng.random() < AGE_HEAPING:
        heaped = 5 * round(age / 5)
        tally["age rounded to a multiple of 5"] += heaped != age
        age = heaped
    return age


def _record_dob(rng: random.Random, person: TruePerson) -> dt.date:
    """A date of birth as a record gives it: the documented one, the true one, or day and
    month swapped."""
    r = rng.random()
    day = person.documented_birth
    if r < 0.10:
        day = person.born
    elif r < 0.15 and day.day <= 12 and day.day != day.month:
        day = dt.date(day.year, day.day, day.month)
    return day


def _case_days(rng: random.Random, count: int, start: dt.date) -> list[dt.date]:
    """The days of a person's ``count`` records: the first, then gaps of months to years."""
    days = [start]
    for _ in range(count - 1):
        gap = 90 + int(rng.expovariate(1 / 700))
        nxt = days[-1] + dt.timedelta(days=gap)
        if nxt > LAST_DAY:
            span = (LAST_DAY - days[-1]).days
            nxt = days[-1] + dt.timedelta(days=rng.randint(min(30, span), max(span, 30)))
            nxt = min(nxt, LAST_DAY)
        days.append(nxt)
    return days


def _station_for(rng: random.Random, person: TruePerson, day: dt.date) -> tuple[str, str, str]:
    """The police station a crime of ``person`` on ``day`` is registered at: mostly in the
    home district, sometimes elsewhere in the State, now and then in another State."""
    state, district = person.home_on(day)
    r = rng.random()
    if r < CRIME_AWAY:
        if r < CRIME_AWAY / 3:
            state = rng.choice(sorted(districts()))
        district = rng.choice(districts()[state])
    return state, district.code, rng.choice(district.stations)


def _assemble_cases(rng: random.Random, slots: list[_Slot]) -> int:
    """Group records of one station and month into cases of 1 to 4 accused (never one person
    twice in a case); number the cases; return how many."""
    order = sorted(range(len(slots)), key=lambda i: (slots[i].station, slots[i].day, i))
    cases = 0
    i = 0
    while i < len(order):
        size = _ACCUSED_TABLE.draw(rng)
        first = slots[order[i]]
        members = [order[i]]
        seen = [first.person]
        j = i + 1
        while j < len(order) and len(members) < size:
            other = slots[order[j]]
            if (
                other.station != first.station
                or (other.day - first.day).days > 45
                or other.person in seen
            ):
                break
            members.append(order[j])
            seen.append(other.person)
            j += 1
        for k, member in enumerate(members):
            slots[member].case = cases
            slots[member].party = k + 1
            slots[member].day = first.day
        cases += 1
        i = j
    return cases


def _fact(role: Role, on: dt.date, fir: str, prison: str, rng: random.Random) -> PersonFact:
    sections = _BNS if on >= BNS_DAY else _IPC
    chosen = [rng.choice(sections)]
    if rng.random() < 0.15:
        chosen.append(rng.choice(_SPECIAL))
    text = ", ".join(chosen)
    if role is Role.ACCUSED:
        return PersonFact("named_in_fir", on, (("fir", fir), ("sections", text)))
    if role is Role.ARRESTED:
        return PersonFact("arrested", on, (("fir", fir),))
    if role is Role.CHARGED:
        return PersonFact("chargesheet_filed", on, (("sections", text),))
    return PersonFact("admitted", on, (("prison", prison), ("category", "undertrial")))


def generate(
    *, persons: int, seed: int = 0, tally: Counter[str] | None = None
) -> list[LabelledMention]:
    """``persons`` true persons and their records, labelled, ordered by the day each record
    was stated (the order a feed would bring them in).

    The same ``persons`` and ``seed`` give the same records. ``tally``, when given, counts
    the variations made (words spelt another way, Devanagari records, forms, ages misstated,
    ...), the persons and records of each kind, and the name collisions: how many persons
    share their full name, their full name and father's name, or those and their birth year
    with at least one other person.
    """
    if persons < 0:
        raise ValueError("persons must be at least 0")
    problems = check_tables()
    if problems:
        raise ValueError("; ".join(problems))
    rng = random.Random(seed)
    counts: Counter[str] = tally if tally is not None else Counter()
    maker = _Maker(rng)
    people = [maker.person(i) for i in range(persons)]

    slots: list[_Slot] = []
    licence_only: list[int] = []
    for index, person in enumerate(people):
        if person.licence is not None and rng.random() < LICENCE_ONLY / (
            LICENCE_HOLDER + LICENCE_ONLY
        ):
            licence_only.append(index)
            continue
        count = _RECORDS_TABLE.draw(rng)
        for day in _case_days(rng, count, person.first_record):
            role = _ROLE_TABLE.draw(rng)
            slots.append(_Slot(index, day, _station_for(rng, person, day), role))
    cases = _assemble_cases(rng, slots)
    counts["persons"] += persons
    counts["cases"] += cases

    # FIR serials: per station and year, in the order of the days.
    by_case: dict[int, _Slot] = {}
    for slot in slots:
        by_case.setdefault(slot.case, slot)
    serials: Counter[tuple[tuple[str, str, str], int]] = Counter()
    firs: dict[int, str] = {}
    for case in sorted(by_case, key=lambda c: (by_case[c].day, c)):
        slot = by_case[case]
        serials[(slot.station, slot.day.year)] += 1
        state, district, station = slot.station
        serial = serials[(slot.station, slot.day.year)]
        firs[case] = f"{state}/{district}/{station}/{slot.day.year}/{serial:04d}"
    counts["cases with co-accused"] += sum(
        1 for slot in slots if slot.party == 2
    )  # a case with an A2 has co-accused

    out: list[LabelledMention] = []
    for slot in slots:
        person = people[slot.person]
        out.append(
            LabelledMention(person.id, _case_record(rng, person, slot, firs[slot.case], counts))
        )
    for person in people:
        if person.licence is not None:
            out.append(LabelledMention(person.id, _licence_record(rng, person, counts)))
    _count_collisions(people, counts)
    out.sort(key=lambda m: (m.mention.stated_on or dt.date.min, m.mention.record_key))
    return out


def _case_record(
    rng: random.Random, person: TruePerson, slot: _Slot, fir: str, tally: Counter[str]
) -> PersonMention:
    """One case record of ``person`` (role, day and FIR given)."""
    tally["records"] += 1
    tally[f"role: {slot.role.value}"] += 1
    fir_state, district_code, station = slot.station
    offset = {Role.ACCUSED: (0, 0), Role.ARRESTED: (0, 30), Role.CHARGED: (30, 120)}.get(
        slot.role, (1, 60)
    )
    on = min(slot.day + dt.timedelta(days=rng.randint(*offset)), LAST_DAY)
    devanagari = fir_state in _DEVANAGARI_STATES and rng.random() < DEVANAGARI_RECORD
    tally["record in Devanagari"] += devanagari
    writer = _Writer(rng, person, devanagari, tally)
    name = _written_name(rng, writer, person, tally)
    aliases: tuple[str, ...] = ()
    inmate = slot.role is Role.INMATE
    if person.alias is not None and not inmate and rng.random() < ALIAS_IN_RECORD:
        alias = writer.token((person.alias,))
        if rng.random() < 0.3 and person.name.surname:
            alias = f"{alias} {writer.token(person.name.surname[0])}"
        aliases = (alias,)
        tally["alias given"] += 1
    father_name = _father_name(rng, writer, person, tally, on)
    gender = person.gender
    if rng.random() < GENDER_UNKNOWN:
        gender = "unknown"
        tally["gender unknown"] += 1
    dob = None
    age: int | None = None
    if not inmate and rng.random() < DOB_IN_RECORD:
        dob = _record_dob(rng, person)
        tally["date of birth given"] += 1
        if rng.random() < 0.7:
            age = on.year - dob.year - ((on.month, on.day) < (dob.month, dob.day))
    elif rng.random() >= AGE_MISSING:
        age = _stated_age(rng, person.born, on, tally)
    else:
        tally["no age or date of birth"] += 1
    true_age = (
        on.year - person.born.year - ((on.month, on.day) < (person.born.month, person.born.day))
    )
    juvenile = true_age < 18
    tally["juvenile record"] += juvenile
    home_state, home = person.home_on(on)
    state: str | None = home_state
    district: str | None = None
    if inmate:
        state = fir_state
    elif rng.random() < ADDRESS_MISSING:
        state = fir_state
        tally["no address"] += 1
    else:
        district = home.names[0]
        if len(home.names) > 1 and rng.random() < 0.3:
            district = rng.choice(home.names[1:])
            tally["district under its other name"] += 1
    first_state, first_home = person.home_on(dt.date.min)
    if (home_state, home.code) != (first_state, first_home.code):
        tally["record after a move"] += 1
    identifiers: list[str] = []
    prison = f"{fir_state}{district_code}_DJ"
    if inmate:
        # One number an inmate: co-accused of one case admitted together get their own.
        number = f"UT/{slot.case + 1}-{slot.party}/{on.year}"
        identifiers.append(prisoner_identifier(f"{prison}:{number}"))
    if person.licence is not None and not inmate and rng.random() < DL_ON_CASE_RECORD:
        identifiers.append(licence_identifier(person.licence))
        tally["licence on a case record"] += 1
    case_id = f"C-{slot.case + 1}"
    ref = f"A{slot.party}"
    return PersonMention(
        record_key=f"case:{case_id}:{ref}",
        role=slot.role,
        name=name,
        case_id=case_id,
        party_ref=ref,
        aliases=aliases,
        father_name=father_name,
        gender=gender,
        date_of_birth=dob,
        age=age,
        stated_on=on,
        state=state,
        district=district,
        identifiers=tuple(sorted(identifiers)),
        juvenile=juvenile,
        fir=fir,
        police_station=f"{fir_state}/{district_code}/{station}",
        fact=_fact(slot.role, on, fir, prison, rng),
    )


def _written_name(
    rng: random.Random, writer: _Writer, person: TruePerson, tally: Counter[str]
) -> str:
    """The person's name as one record writes it: form, honorific, case, typing slips."""
    text = writer.name(person.name)
    if rng.random() < HONORIFIC:
        tally["honorific"] += 1
        script = "devanagari" if writer.devanagari else "latin"
        faith = "other" if person.group.name in ("muslim", "christian") else "hindu"
        gender = "female" if person.gender == "female" else "male"
        text = f"{rng.choice(_HONORIFICS[(script, faith, gender)])} {text}"
    if not writer.devanagari:
        if rng.random() < TYPO:
            tally["typing slip"] += 1
            text = _typo(rng, text)
        r = rng.random()
        if r < UPPER_CASE:
            text = text.upper()
        elif r < UPPER_CASE + LOWER_CASE:
            text = text.lower()
    return text


def _father_name(
    rng: random.Random,
    writer: _Writer,
    person: TruePerson,
    tally: Counter[str],
    on: dt.date,
) -> str | None:
    """The father's (or husband's) name as one record writes it, or none."""
    if rng.random() < FATHER_MISSING:
        tally["no father's name"] += 1
        return None
    relative = person.father
    married = person.spouse is not None and on.year - person.born.year > 22
    if married and rng.random() < HUSBAND_NAMED and person.spouse is not None:
        relative = person.spouse
        tally["husband named instead of father"] += 1
    text = writer.name(relative, father=True)
    if rng.random() < FATHER_LATE:
        text = f"{'स्व.' if writer.devanagari else rng.choice(('Late', 'Lt.'))} {text}"
        tally["father named as late"] += 1
    if not writer.devanagari and rng.random() < UPPER_CASE:
        text = text.upper()
    return text


def _licence_record(rng: random.Random, person: TruePerson, tally: Counter[str]) -> PersonMention:
    """The transport pillar's record of the person's driving licence: the name and father's
    name as the licence has them (Latin, in full), the documented date of birth."""
    assert person.licence is not None
    tally["records"] += 1
    tally["role: licence_holder"] += 1
    writer = _Writer(rng, person, False, tally)
    name = writer.full(person.name)
    father = writer.full(person.father)
    as_of = FIRST_DAY + dt.timedelta(days=rng.randrange((LAST_DAY - FIRST_DAY).days))
    state = person.licence[:2]
    return PersonMention(
        record_key=f"licence:{person.licence}",
        role=Role.LICENCE_HOLDER,
        name=name.upper(),
        father_name=father.upper(),
        gender=person.gender,
        date_of_birth=person.documented_birth,
        stated_on=as_of,
        state=state,
        identifiers=(licence_identifier(person.licence),),
        fact=PersonFact("licence", as_of, (("status", "active"),)),
    )


def _count_collisions(people: Sequence[TruePerson], tally: Counter[str]) -> None:
    """How many persons share their full name (and father's name, and birth year) with
    another person: the pairs a linker must keep apart."""
    keys = [(p.name.key(), p.father.key(), p.born.year) for p in people]
    names = Counter(name for name, _, _ in keys)
    with_father = Counter((name, father) for name, father, _ in keys)
    with_year = Counter(keys)
    for name, father, year in keys:
        tally["persons sharing their full name"] += names[name] > 1
        tally["persons sharing full name and father's name"] += with_father[(name, father)] > 1
        tally["persons sharing full name, father's name and birth year"] += (
            with_year[(name, father, year)] > 1
        )
    tally["distinct full names"] += len(names)
